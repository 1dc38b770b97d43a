// Package i18n holds the site's own words in Danish (first) and English,
// and formats dates the way each language writes them.
//
// Articles are written in Danish and stay Danish; only the site's labels
// change language.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a language the site's labels exist in.
type Lang string

const (
	Da Lang = "da"
	En Lang = "en"
)

// Langs lists the languages, Danish first.
var Langs = []Lang{Da, En}

// T returns the label for key in lang. A missing key returns the key
// itself, and the catalogue test makes sure none is missing.
func (l Lang) T(key string) string {
	if s, ok := catalogue[l][key]; ok {
		return s
	}
	if s, ok := catalogue[Da][key]; ok {
		return s
	}
	return key
}

// Tf is T with fmt.Sprintf arguments.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

var monthsDa = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// Date writes a date as the language does: "10. juli 2025", "10 July 2025".
func (l Lang) Date(t time.Time) string {
	if l == En {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + ". " + monthsDa[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Keys lists every key of the Danish catalogue (for tests).
func Keys() []string {
	keys := make([]string, 0, len(catalogue[Da]))
	for k := range catalogue[Da] {
		keys = append(keys, k)
	}
	return keys
}

// Labels returns the whole catalogue of lang, for templates: {{.L.navHome}}
// is a map lookup, far cheaper per page than a method call. The map must not
// be changed.
func Labels(l Lang) map[string]string { return catalogue[l] }

// Prefixed returns the labels whose key starts with prefix, with the prefix
// cut and the next letter lower-cased: Prefixed(Da, "player") holds "start",
// "pause", … for the browser code.
func Prefixed(l Lang, prefix string) map[string]string {
	m := map[string]string{}
	for k, v := range catalogue[l] {
		if rest, ok := strings.CutPrefix(k, prefix); ok && rest != "" {
			m[strings.ToLower(rest[:1])+rest[1:]] = v
		}
	}
	return m
}

// Has reports whether lang has its own text for key.
func Has(l Lang, key string) bool { _, ok := catalogue[l][key]; return ok }

var catalogue = map[Lang]map[string]string{
	Da: {
		"skip":                     "Gå til indholdet",
		"navLabel":                 "Hovedmenu",
		"navHome":                  "Forside",
		"navArticles":              "Artikler",
		"langSwitch":               "English",
		"langSwitchLabel":          "English – read this page with English labels",
		"homeLead":                 "Viden og træning for mennesker med spinalstenose i lænden.",
		"homeNewest":               "Nyeste artikler",
		"homeAll":                  "Se alle artikler",
		"homeOffer":                "Det får du her",
		"homeOffer1":               "Klinikkens artikler om spinalstenose – på almindeligt dansk, med kilder.",
		"homeOffer2":               "De fem bedste øvelser, forklaret trin for trin, så du kan træne sikkert derhjemme.",
		"homeOffer3":               "Råd om gang med pauser: gå, hvil foroverbøjet, og gå videre.",
		"homeOffer4":               "Hjælp til at vide, hvornår du skal stoppe, og hvornår du skal kontakte din behandler.",
		"homeNote":                 "Indholdet er vejledning og undervisning, ikke en diagnose. Er du i tvivl, så kontakt din læge eller behandler.",
		"articlesTitle":            "Artikler",
		"articlesLead":             "Alle klinikkens artikler, nyeste først.",
		"articlesPage":             "Side %d af %d",
		"articlesPrev":             "Nyere artikler",
		"articlesNext":             "Ældre artikler",
		"articlesPages":            "Sider",
		"articlesNone":             "Der er endnu ingen artikler.",
		"articleBy":                "Af",
		"articlePublished":         "Udgivet",
		"articleUpdated":           "Opdateret",
		"articleToc":               "Indhold",
		"articleAbout":             "Om forfatteren",
		"articleMore":              "Læs mere om %s",
		"articleRead":              "Læs artiklen",
		"authorArticles":           "Artikler af %s",
		"notfoundTitle":            "Siden findes ikke",
		"notfoundLead":             "Vi kan ikke finde den side, du leder efter. Måske er den flyttet, eller adressen er skrevet forkert.",
		"notfoundTry":              "Prøv i stedet:",
		"notfoundHome":             "Gå til forsiden",
		"notfoundArticles":         "Se alle artikler",
		"footerAbout":              "Artiklerne er skrevet af klinikkens behandlere. De erstatter ikke en undersøgelse.",
		"footerPrivacy":            "Siden henter intet fra andre websteder og bruger ingen sporing.",
		"footerFeed":               "Nyheder som feed (Atom)",
		"clinicPhone":              "Telefon",
		"clinicHours":              "Åbningstider",
		"clinicEmail":              "E-mail",
		"clinicQuestions":          "Spørgsmål til programmet? Ring til klinikken.",
		"urgentOutOfHours":         "Uden for lægens åbningstid: ring til %s på",
		"urgentLife":               "Ved livsfare: ring",
		"imageMissing":             "Billedet mangler",
		"navExercises":             "Øvelser",
		"exercisesTitle":           "Øvelser",
		"exercisesLead":            "Øvelserne fra programmet, hver med tegning og trin-for-trin-vejledning.",
		"exerciseDose":             "Dosis",
		"exerciseDoseArticle":      "Fra artiklen.",
		"exerciseDoseClinic":       "Klinikkens forsigtige standard – din behandler kan ændre den.",
		"exerciseSteps":            "Sådan gør du",
		"exerciseEquipment":        "Det skal du bruge",
		"exerciseCaution":          "Pas på",
		"exercisePostureFlexion":   "Let foroverbøjet ryg – giver plads i rygmarvskanalen.",
		"exercisePostureNeutral":   "Neutral ryg – svaj kun let.",
		"exercisePostureExtension": "Ryggen bøjes bagover – undgås ved spinalstenose.",
		"exerciseWalkMode":         "Brug gangfunktionen",
		"exerciseInProgramme":      "Indgår i programmet",
		"programmeStart":           "Start træningen",
		"programmePrint":           "Udskriv programmet",
		"programmeWalk":            "Gå med pauser",
		"programmePerWeek":         "Træn %d gange om ugen.",
		"programmeExercises":       "Øvelserne",
		"programmeSafety":          "Sådan træner du sikkert",
		"programmeFromArticle":     "Læs artiklen bag programmet",
		"safety1":                  "Hold ryggen let foroverbøjet – det giver mere plads i rygmarvskanalen.",
		"safety2":                  "Undgå øvelser, hvor ryggen bøjes bagover.",
		"safety3":                  "Stop eller justér træningen, hvis du får snurren, en brændende fornemmelse eller svaghed i benene.",
		"safety4":                  "Øg træningen lidt ad gangen. Bevægelse og funktion er vigtigere end hårdt arbejde og tunge løft.",
		"safety5":                  "Får du pludselig problemer med at holde på vandet eller afføringen, følelsesløshed i skridtet eller svaghed i begge ben, så ring til din egen læge med det samme – uden for åbningstid lægevagten. Ved livsfare: ring 112.",
		"stopAdvice":               "Stop øvelsen. Snurren, en brændende fornemmelse eller svaghed i benene betyder, at du skal stoppe eller justere træningen. Sæt dig i hvilestillingen, og træk vejret roligt.",
		"sessionLead":              "Lav øvelserne i rækkefølge. Med JavaScript slået til guider afspilleren dig med tid og lyd; uden kan du følge listen herunder.",
		"sessionTitle":             "Træning: %s",
		"handoutTitle":             "%s – til at hænge op",
		"handoutWeeks":             "Sæt kryds, når du har trænet",
		"handoutWeek":              "Uge %d",
		"handoutPrint":             "Udskriv siden (A4).",
		"weekdays":                 "Man,Tir,Ons,Tor,Fre,Lør,Søn",
		"walkTitle":                "Gå med pauser",
		"walkLead":                 "Gå i dit eget tempo. Når benene snurrer eller bliver tunge, så hold pause og læn dig forover – fx over en indkøbsvogn, på en bænk eller med albuerne på knæene. Gå videre, når det er lettet.",
		"walkNoJS":                 "Med JavaScript slået til måler siden, hvor længe du går, før symptomerne kommer, og hvor lange pauser du holder.",
		"articleCTA":               "Træn øvelserne med en guide",
		"articleCTAText":           "Programmet viser én øvelse ad gangen med tid, tegning og lyd.",
		"playerStart":              "Start",
		"playerPause":              "Pause",
		"playerResume":             "Fortsæt",
		"playerSkip":               "Spring over",
		"playerBack":               "Tilbage",
		"playerNext":               "Næste",
		"playerDone":               "Færdig",
		"playerSymptoms":           "Jeg får symptomer",
		"playerSwitchSide":         "Skift ben",
		"playerSide":               "Side %d af %d",
		"playerRep":                "Gentagelse %d af %d",
		"playerSet":                "Sæt %d af %d",
		"playerRest":               "Hvil",
		"playerHold":               "Hold",
		"playerMute":               "Lyd fra",
		"playerUnmute":             "Lyd til",
		"playerContinueGently":     "Fortsæt forsigtigt",
		"playerEnd":                "Afslut træningen",
		"playerRestPosition":       "Hvilestilling",
		"playerSummary":            "Godt gået!",
		"playerSummaryDone":        "Gennemført",
		"playerSummarySkipped":     "Sprunget over",
		"playerSummarySymptoms":    "Symptomer meldt",
		"playerDiary":              "Skriv i dagbogen, hvordan det gik",
		"playerRemaining":          "%s tilbage",
		"playerStepOf":             "Øvelse %d af %d",
		"playerCountIn":            "Gør dig klar",
		"playerRepDone":            "Tryk når gentagelsen er gjort",
		"playerWhich":              "Hvad mærker du? Tryk på det, der passer.",
		"playerTingling":           "Prikken eller snurren",
		"playerBurning":            "Brændende fornemmelse",
		"playerWeakness":           "Svaghed i benene",
		"playerPain":               "Smerter",
		"walkStart":                "Start gåturen",
		"walkPause":                "Pause – jeg har symptomer",
		"walkResume":               "Gå videre",
		"walkFinish":               "Afslut",
		"walkWalking":              "Du går",
		"walkPausing":              "Pause",
		"walkBout":                 "Tur %d",
		"walkTotal":                "Samlet gangtid",
		"walkFirstSymptoms":        "Tid til første symptomer",
		"walkLeanPrompt":           "Læn dig forover – fx på en indkøbsvogn, en bænk eller med albuerne på knæene.",
		"walkPauseTime":            "Pausetid",
		"walkSummary":              "Godt gået!",
		"walkDiary":                "Skriv i dagbogen, hvordan det gik",
		// The walking test (Self-Paced Walking Test) in walk mode, /gang?gangtest=1.
		"walkTestTitle":      "Gangtest",
		"walkTestLead":       "Gangtesten måler, hvor længe du kan gå i dag. Gå i dit eget tempo på et fladt sted, til symptomerne tvinger dig til at stoppe – højst 30 minutter.",
		"walkTestStep1":      "Find et fladt sted, hvor du kan gå uden at skulle stoppe, fx en lang gang, et fortov eller en sti.",
		"walkTestStep2":      "Tryk på »Start gangtesten«, og gå i dit eget tempo. Hold ikke pauser.",
		"walkTestStep3":      "Tryk på »Nu kommer symptomerne«, når du mærker de første symptomer (smerte, snurren eller tyngde i benene). Gå videre.",
		"walkTestStep4":      "Tryk på »Stop – jeg må stoppe«, når du må stoppe. Efter 30 minutter stopper testen af sig selv.",
		"walkTestSafety":     "Stop og søg læge, hvis du får snurren, brændende fornemmelse eller svaghed i benene, som ikke går over, når du sætter dig.",
		"walkTestStart":      "Start gangtesten",
		"walkTestStarted":    "Gangtesten er startet. Gå i dit eget tempo.",
		"walkTestSymptoms":   "Nu kommer symptomerne",
		"walkTestStop":       "Stop – jeg må stoppe",
		"walkTestCeiling":    "Testen stopper af sig selv efter 30 minutter.",
		"walkTestWalkOn":     "Symptomerne kom efter %s. Gå videre, til du må stoppe.",
		"walkTestDone":       "Gangtesten er slut",
		"walkTestReachedMax": "Du gik i 30 minutter, så testen stoppede af sig selv.",
		"walkTestResult":     "De første symptomer kom efter %s. Du stoppede efter %s.",
		"walkTestResultNone": "Du stoppede efter %s. Du trykkede ikke på »Nu kommer symptomerne«.",
		"walkTestStopTime":   "Tid, til du stoppede",
		"walkTestNotMarked":  "Ikke markeret",
		"walkTestUse":        "Brug som mit udgangspunkt",
		"walkTestUseHint":    "Så kommer tiderne ind i skemaet »Dit udgangspunkt«, hvor du også skriver dine smerter i dag. Er du ikke logget ind, bliver du bedt om det først.",
		"walkTestMinute":     "%d minut",
		"walkTestMinutes":    "%d minutter",
		"walkTestSecond":     "%d sekund",
		"walkTestSeconds":    "%d sekunder",
		"walkTestAnd":        "%s og %s",
	},
	En: {
		"skip":                     "Skip to content",
		"navLabel":                 "Main menu",
		"navHome":                  "Home",
		"navArticles":              "Articles",
		"langSwitch":               "Dansk",
		"langSwitchLabel":          "Dansk – læs siden med danske overskrifter",
		"homeLead":                 "Knowledge and exercise for people with lumbar spinal stenosis.",
		"homeNewest":               "Newest articles",
		"homeAll":                  "See all articles",
		"homeOffer":                "What you get here",
		"homeOffer1":               "The clinic's articles on spinal stenosis – in plain words, with sources (in Danish).",
		"homeOffer2":               "The five best exercises, explained step by step, so you can train safely at home.",
		"homeOffer3":               "Advice on walking with pauses: walk, rest leaning forward, and walk on.",
		"homeOffer4":               "Help to know when to stop, and when to contact your clinician.",
		"homeNote":                 "The content is guidance and education, not a diagnosis. If in doubt, contact your doctor or clinician.",
		"articlesTitle":            "Articles",
		"articlesLead":             "All the clinic's articles, newest first. The articles are in Danish.",
		"articlesPage":             "Page %d of %d",
		"articlesPrev":             "Newer articles",
		"articlesNext":             "Older articles",
		"articlesPages":            "Pages",
		"articlesNone":             "There are no articles yet.",
		"articleBy":                "By",
		"articlePublished":         "Published",
		"articleUpdated":           "Updated",
		"articleToc":               "Contents",
		"articleAbout":             "About the author",
		"articleMore":              "Read more about %s",
		"articleRead":              "Read the article",
		"authorArticles":           "Articles by %s",
		"notfoundTitle":            "Page not found",
		"notfoundLead":             "We cannot find the page you are looking for. It may have moved, or the address may be mistyped.",
		"notfoundTry":              "Try instead:",
		"notfoundHome":             "Go to the home page",
		"notfoundArticles":         "See all articles",
		"footerAbout":              "The articles are written by the clinic's clinicians. They do not replace an examination.",
		"footerPrivacy":            "This site loads nothing from other sites and uses no tracking.",
		"footerFeed":               "News as a feed (Atom)",
		"clinicPhone":              "Phone",
		"clinicHours":              "Opening hours",
		"clinicEmail":              "E-mail",
		"clinicQuestions":          "Questions about the programme? Call the clinic.",
		"urgentOutOfHours":         "When your GP is closed: call %s on",
		"urgentLife":               "If life is in danger: call",
		"imageMissing":             "The picture is missing",
		"navExercises":             "Exercises",
		"exercisesTitle":           "Exercises",
		"exercisesLead":            "The programme's exercises, each with a drawing and step-by-step instructions.",
		"exerciseDose":             "Dose",
		"exerciseDoseArticle":      "From the article.",
		"exerciseDoseClinic":       "The clinic's careful default – your clinician can change it.",
		"exerciseSteps":            "How to do it",
		"exerciseEquipment":        "What you need",
		"exerciseCaution":          "Take care",
		"exercisePostureFlexion":   "Back slightly bent forward – gives the spinal canal room.",
		"exercisePostureNeutral":   "Neutral back – only a slight sag.",
		"exercisePostureExtension": "The back bends backwards – avoided in spinal stenosis.",
		"exerciseWalkMode":         "Use the walk timer",
		"exerciseInProgramme":      "Part of the programme",
		"programmeStart":           "Start the session",
		"programmePrint":           "Print the programme",
		"programmeWalk":            "Walk with pauses",
		"programmePerWeek":         "Train %d times a week.",
		"programmeExercises":       "The exercises",
		"programmeSafety":          "How to train safely",
		"programmeFromArticle":     "Read the article behind the programme",
		"safety1":                  "Keep your back slightly bent forward – it gives the spinal canal more room.",
		"safety2":                  "Avoid exercises that bend your back backwards.",
		"safety3":                  "Stop or adjust the training if you get tingling, burning or weakness in your legs.",
		"safety4":                  "Increase the training a little at a time. Movement and function matter more than hard work and heavy lifting.",
		"safety5":                  "If you suddenly have trouble holding urine or stool, numbness in the groin or weakness in both legs, call your own GP straight away – when your GP is closed, the out-of-hours doctor. If life is in danger: call 112.",
		"stopAdvice":               "Stop the exercise. Tingling, burning or weakness in the legs means you should stop or adjust the training. Sit in the rest position and breathe calmly.",
		"sessionLead":              "Do the exercises in order. With JavaScript on, the player guides you with time and sound; without it, follow the list below.",
		"sessionTitle":             "Session: %s",
		"handoutTitle":             "%s – to put on the wall",
		"handoutWeeks":             "Tick when you have trained",
		"handoutWeek":              "Week %d",
		"handoutPrint":             "Print this page (A4).",
		"weekdays":                 "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
		"walkTitle":                "Walking with pauses",
		"walkLead":                 "Walk at your own pace. When your legs tingle or feel heavy, pause and lean forward – over a shopping trolley, on a bench or with your elbows on your knees. Walk on when it has eased.",
		"walkNoJS":                 "With JavaScript on, this page measures how long you walk before the symptoms come, and how long you pause.",
		"articleCTA":               "Train the exercises with a guide",
		"articleCTAText":           "The programme shows one exercise at a time, with time, drawing and sound.",
		"playerStart":              "Start",
		"playerPause":              "Pause",
		"playerResume":             "Resume",
		"playerSkip":               "Skip",
		"playerBack":               "Back",
		"playerNext":               "Next",
		"playerDone":               "Done",
		"playerSymptoms":           "I have symptoms",
		"playerSwitchSide":         "Change legs",
		"playerSide":               "Side %d of %d",
		"playerRep":                "Repetition %d of %d",
		"playerSet":                "Set %d of %d",
		"playerRest":               "Rest",
		"playerHold":               "Hold",
		"playerMute":               "Sound off",
		"playerUnmute":             "Sound on",
		"playerContinueGently":     "Continue gently",
		"playerEnd":                "End the session",
		"playerRestPosition":       "Rest position",
		"playerSummary":            "Well done!",
		"playerSummaryDone":        "Done",
		"playerSummarySkipped":     "Skipped",
		"playerSummarySymptoms":    "Symptoms reported",
		"playerDiary":              "Write in your diary how it went",
		"playerRemaining":          "%s left",
		"playerStepOf":             "Exercise %d of %d",
		"playerCountIn":            "Get ready",
		"playerRepDone":            "Tap when the repetition is done",
		"playerWhich":              "What do you feel? Tap what fits.",
		"playerTingling":           "Tingling or pins and needles",
		"playerBurning":            "A burning feeling",
		"playerWeakness":           "Weakness in the legs",
		"playerPain":               "Pain",
		"walkStart":                "Start the walk",
		"walkPause":                "Pause – I have symptoms",
		"walkResume":               "Walk on",
		"walkFinish":               "Finish",
		"walkWalking":              "Walking",
		"walkPausing":              "Pause",
		"walkBout":                 "Walk %d",
		"walkTotal":                "Total walking time",
		"walkFirstSymptoms":        "Time to first symptoms",
		"walkLeanPrompt":           "Lean forward – on a shopping trolley, a bench or with your elbows on your knees.",
		"walkPauseTime":            "Pause time",
		"walkSummary":              "Well done!",
		"walkDiary":                "Write in your diary how it went",
		"walkTestTitle":            "Walking test",
		"walkTestLead":             "The walking test measures how long you can walk today. Walk at your own pace on level ground until the symptoms make you stop – at most 30 minutes.",
		"walkTestStep1":            "Find a level place where you can walk without having to stop, such as a long corridor, a pavement or a path.",
		"walkTestStep2":            "Tap »Start the walking test« and walk at your own pace. Do not take breaks.",
		"walkTestStep3":            "Tap »The symptoms are coming« when you feel the first symptoms (pain, tingling or heaviness in the legs). Walk on.",
		"walkTestStep4":            "Tap »Stop – I have to stop« when you have to stop. After 30 minutes the test stops by itself.",
		"walkTestSafety":           "Stop and see a doctor if you get tingling, a burning feeling or weakness in the legs that does not go away when you sit down.",
		"walkTestStart":            "Start the walking test",
		"walkTestStarted":          "The walking test has started. Walk at your own pace.",
		"walkTestSymptoms":         "The symptoms are coming",
		"walkTestStop":             "Stop – I have to stop",
		"walkTestCeiling":          "The test stops by itself after 30 minutes.",
		"walkTestWalkOn":           "The symptoms came after %s. Walk on until you have to stop.",
		"walkTestDone":             "The walking test is over",
		"walkTestReachedMax":       "You walked for 30 minutes, so the test stopped by itself.",
		"walkTestResult":           "The first symptoms came after %s. You stopped after %s.",
		"walkTestResultNone":       "You stopped after %s. You did not tap »The symptoms are coming«.",
		"walkTestStopTime":         "Time until you stopped",
		"walkTestNotMarked":        "Not marked",
		"walkTestUse":              "Use as my starting point",
		"walkTestUseHint":          "The times go into the form »Your starting point«, where you also note your pain today. If you are not signed in, you are asked to sign in first.",
		"walkTestMinute":           "%d minute",
		"walkTestMinutes":          "%d minutes",
		"walkTestSecond":           "%d second",
		"walkTestSeconds":          "%d seconds",
		"walkTestAnd":              "%s and %s",
	},
}
