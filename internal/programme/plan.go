package programme

// Plan is a guided session as the browser's player reads it (JSON in the
// session page). Its shape is the contract with static/player.js.
type Plan struct {
	Programme  string            `json:"programme"`
	Name       string            `json:"name"`
	Lang       string            `json:"lang"`
	Steps      []Step            `json:"steps"`
	Rest       Step              `json:"rest"`
	StopAdvice string            `json:"stopAdvice"`
	Labels     map[string]string `json:"labels"`
}

// Step is one exercise of a session with its dose.
type Step struct {
	Exercise      string `json:"exercise"`
	Name          string `json:"name"`
	Drawing       string `json:"drawing"`
	Instruction   string `json:"instruction"`
	Kind          Kind   `json:"kind"`
	Seconds       int    `json:"seconds"`
	SecondsPerRep int    `json:"secondsPerRep,omitempty"`
	Sides         int    `json:"sides"`
	Reps          int    `json:"reps"`
	Sets          int    `json:"sets"`
	RestSeconds   int    `json:"restSeconds"`
}

// NewPlan makes the session plan of a programme, in English when en.
// stopAdvice and labels are the page language's texts.
func NewPlan(p *Programme, en bool, stopAdvice string, labels map[string]string) Plan {
	plan := Plan{Programme: p.Slug, Name: p.Name, Lang: "da", StopAdvice: stopAdvice, Labels: labels}
	if en {
		plan.Lang, plan.Name = "en", pick(p.NameEn, p.Name)
	}
	for _, it := range p.Items {
		plan.Steps = append(plan.Steps, step(it.Exercise, it.Dose, en))
	}
	if p.Rest != nil {
		plan.Rest = step(p.Rest, Dose{Kind: Duration, Seconds: 60, Sides: 1, Reps: 1, Sets: 1}, en)
	}
	return plan
}

func step(e *Exercise, d Dose, en bool) Step {
	s := Step{
		Exercise: e.Slug, Name: e.Name, Drawing: e.Drawing, Instruction: e.Instruction,
		Kind: d.Kind, Seconds: d.Seconds, SecondsPerRep: d.SecondsPerRep,
		Sides: d.Sides, Reps: d.Reps, Sets: d.Sets, RestSeconds: d.Rest,
	}
	if en {
		s.Name, s.Instruction = pick(e.NameEn, e.Name), pick(e.InstructionEn, e.Instruction)
	}
	return s
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
