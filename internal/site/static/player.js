// stenose session player: the session in #player, one exercise at a time,
// with timers, spoken cues and a summary in localStorage "stenose.sessions"
// (without JS, #session-list is the session). Clinical rules: A3 (stop or
// adjust on tingling, burning or leg weakness): the symptoms button is
// always visible while training and leads to the stop advice and the rest
// position, where the patient may say which symptoms came (KINDS: kept per
// step in the record as symptomKinds); A5 (knee-to-chest held 10–20 s, then the other leg): holds per
// side with a "switch leg" cue. Time comes only from performance.now() and
// Date.now(), timers only from setTimeout (tests fake both); remaining time
// is computed from the start time, so nothing drifts.
"use strict";

import { patient, patientMenu, todayHref } from "./patient.js"; // the patient's menu, shared with walk.js

const READY_S = 10; // "get ready" before each exercise (the rest between exercises)
const SWITCH_S = 5; // to change legs between sides
const KINDS = ["tingling", "burning", "weakness", "pain"]; // labels: L.tingling, …

const root = document.getElementById("player");
let plan = null;
try { plan = JSON.parse(document.getElementById("session-plan").textContent); } catch { /* no plan: the list stays */ }
if (root && plan?.steps?.length) init(root, plan);
registerSW(plan);
patientMenu();

// fmt("Side %d af %d", 1, 2) → "Side 1 af 2"; clock(75000) → "1:15"
function fmt(s, ...a) { return String(s ?? "").replace(/%[ds]/g, () => (a.length ? a.shift() : "")); }

function clock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

// h("p", {class: "x", text: "hi", onclick: f}, ...children)
function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
}

function store(key, val) {
  try {
    if (val === undefined) return localStorage.getItem(key);
    localStorage.setItem(key, val);
  } catch { return null; }
}

// A step's phases, each one timed unit: ready, work, hold, rest, switch
// (sides), reps (ms: the pace of one repetition, repeated `reps` times).
function phasesOf(s, readyS) {
  const n = (v) => Math.max(1, v | 0);
  const sets = n(s.sets), sides = n(s.sides), reps = n(s.reps);
  const rest = { t: "rest", ms: (s.restSeconds | 0) * 1000 };
  const out = [{ t: "ready", ms: readyS * 1000 }];
  for (let set = 1; set <= sets; set++) {
    if (set > 1 && rest.ms) out.push(rest);
    if (s.kind === "hold") {
      for (let side = 1; side <= sides; side++) {
        if (side > 1) out.push({ t: "switch", ms: SWITCH_S * 1000, side, sides });
        for (let rep = 1; rep <= reps; rep++) {
          if (rep > 1 && rest.ms) out.push(rest);
          out.push({ t: "hold", ms: (s.seconds | 0) * 1000, side, sides, rep, reps, set, sets });
        }
      }
    } else if (s.kind === "reps") out.push({ t: "reps", ms: (s.secondsPerRep || 5) * 1000, reps, set, sets });
    else out.push({ t: "work", ms: (s.seconds | 0) * 1000, set, sets });
  }
  return out;
}

function init(root, plan) {
  const L = plan.labels || {}, steps = plan.steps, rest = plan.rest || {};
  const phases = steps.map((s) => phasesOf(s, plan.readySeconds ?? READY_S));
  const status = [], sympt = [], kinds = []; // per step: "done"/"skipped"; symptoms reported; a Set of KINDS named
  let symptoms = 0, startedAt = 0;
  let mode = "start"; // start | run | symptoms | summary
  let i = 0, p = 0, count = 1; // step, phase, repetition
  let unitMs = 0, t0 = 0, acc = 0, paused = false, timer = 0;
  let muted = store("stenose.mute") === "1", lock = null, audio = null;

  const btn = (cls, text, onclick) => h("button", { type: "button", class: "pl-btn " + cls, text, onclick });
  const region = (how) => h("p", { class: "pl-sr", "aria-live": how, "aria-atomic": "true" });
  const live = region("polite"), alert = region("assertive");
  const stepOf = h("p", { class: "pl-stepof" });
  const mute = btn("pl-mute", "", toggleMute);
  const top = h("div", { class: "pl-top" }, stepOf, mute);
  const startBtn = btn("pl-start", L.start, start);
  const name = h("h2", { class: "pl-name", tabindex: "-1" });
  const img = h("img", { class: "pl-img", alt: "", src: steps[0].drawing || rest.drawing });
  const advice = h("p", { class: "pl-advice" });
  const instr = h("p", { class: "pl-instr" });
  const now = h("p", { class: "pl-now" });
  const [pre, post] = String(L.remaining || "%s").split("%s");
  const big = h("span", { class: "pl-big" });
  const time = h("p", { class: "pl-time" }, h("span", { class: "pl-unit", text: pre }), big, h("span", { class: "pl-unit", text: post }));
  const act = btn("pl-act", L.repDone, () => mode === "run" && expire(0));
  const pause = btn("pl-pause", L.pause, togglePause);
  const next = btn("pl-next", "", goNext);
  const ctl = h("div", { class: "pl-ctl" }, pause, btn("pl-back", "← " + L.back, goBack), next);
  const choose = h("div", { class: "pl-ctl" }, btn("pl-cont", L.continueGently, continueGently), btn("pl-end", L.end, summary));
  // Which symptoms: toggles, none required (the stop advice comes first).
  const kindBtns = KINDS.map((k) => h("button", { type: "button", class: "pl-btn pl-kind", "data-kind": k, "aria-pressed": "false", onclick: () => toggleKind(k) }));
  const which = h("div", { class: "pl-which", role: "group", "aria-labelledby": "pl-which" }, h("p", { id: "pl-which", text: L.which }), ...kindBtns);
  const stage = h("div", { class: "pl-stage" }, name, advice, img, instr, now, time, act, ctl, which, choose);
  const sym = btn("pl-sym", L.symptoms, reportSymptoms);
  const sumHead = h("h2", { tabindex: "-1", text: L.summary });
  const sumList = h("dl", { class: "pl-sum" }), stepList = h("ul", { class: "pl-steps" });
  // After the session, the diary (the "after each session"): the
  // symptoms named in the player are ticked there already.
  const diaryLink = h("a", { class: "button", href: "/dagbog/ny", text: L.diary });
  // A signed-in patient ends with the way back to today.
  const back = h("p", {}, h("a", { class: "button secondary", href: todayHref(), text: L.today }));
  const sumView = h("div", {}, sumHead, sumList, stepList, h("p", {}, diaryLink), back);
  root.append(top, startBtn, stage, sym, sumView, live, alert);
  const list = document.getElementById("session-list");
  if (list) list.before(root); // Start under the heading, the list as preview
  for (const el of document.querySelectorAll(".no-player")) el.hidden = true;
  root.hidden = false;
  root.addEventListener("keydown", onKey);
  window.speechSynthesis?.getVoices(); // some browsers load their voices on the first ask
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && (mode === "run" || mode === "symptoms")) { wake(); tick(); }
  });
  render();

  function elapsed() { return acc + (paused ? 0 : performance.now() - t0); }
  // A unit of ms starts; `over` ms passed already (a late timer): phases keep to schedule.
  function startUnit(ms, over = 0) {
    unitMs = ms; acc = 0; paused = false; t0 = performance.now() - over;
    tick();
  }
  function tick() {
    clearTimeout(timer);
    if (mode !== "run" && mode !== "symptoms") return;
    const rem = unitMs - elapsed();
    if (rem <= 0) return paused ? undefined : expire(-rem);
    if (mode === "symptoms" || phases[i][p].t !== "reps") big.textContent = clock(rem);
    if (!paused) timer = setTimeout(tick, ((rem - 1) % 1000) + 1); // at the next whole second
  }
  function expire(over) {
    if (mode === "symptoms") { // rested: wait for the choice
      big.textContent = clock(0);
      return beep("rest");
    }
    const ph = phases[i][p];
    if (ph.t === "reps" && count < ph.reps) {
      count++;
      render();
      cue(fmt(L.rep, count, ph.reps), "rep", String(count));
      return startUnit(ph.ms, over);
    }
    advance(over);
  }
  function advance(over = 0) {
    if (p + 1 < phases[i].length) enter(i, p + 1, over);
    else finishStep("done", over);
  }
  function finishStep(st, over = 0) {
    status[i] = st;
    if (i + 1 < steps.length) enter(i + 1, 0, over);
    else summary();
  }
  function enter(ni, np, over = 0) {
    i = ni; p = np; count = 1; paused = false; mode = "run";
    render();
    const ph = phases[i][p];
    cue(phaseText(ph, true), ph.t);
    startUnit(ph.ms, over);
  }

  // "Hold · Side 1 af 2 · Gentagelse 2 af 3"; spoken: names the exercise at its start
  function phaseText(ph, spoken) {
    const s = steps[i], set = ph.sets > 1 ? fmt(L.set, ph.set, ph.sets) : "";
    const parts = {
      ready: [L.countIn, spoken && s.name + ". " + (s.instruction || "")],
      rest: [L.rest],
      switch: [L.switchSide, fmt(L.side, ph.side, ph.sides)],
      hold: [L.hold, ph.sides > 1 && fmt(L.side, ph.side, ph.sides), fmt(L.rep, ph.rep, ph.reps), set],
      reps: [spoken && L.start, set, spoken && fmt(L.rep, count, ph.reps)],
      work: [spoken && L.start, set],
    }[ph.t];
    return parts.filter(Boolean).join(spoken ? ". " : " · ");
  }

  function start() {
    startedAt = Date.now();
    audioUnlock();
    wake();
    if (list) list.hidden = true;
    enter(0, 0);
    root.scrollIntoView();
    pause.focus();
  }
  function togglePause() {
    if (mode !== "run") return;
    if (paused) { paused = false; t0 = performance.now(); say(L.resume); tick(); }
    else { acc = elapsed(); paused = true; clearTimeout(timer); say(L.pause); }
    render();
  }
  function isWait() { return ["ready", "rest", "switch"].includes(phases[i][p].t); }
  // →: a wait (ready, rest, switch) ends now; an exercise is skipped. ←: previous exercise.
  function goNext() {
    if (mode !== "run") return;
    if (isWait()) advance();
    else finishStep("skipped");
  }
  function goBack() {
    if (mode !== "run") return;
    const to = Math.max(0, i - 1);
    status[to] = undefined;
    enter(to, 0);
  }
  function reportSymptoms() {
    if (mode !== "run") return;
    sympt[i] = true;
    symptoms++;
    mode = "symptoms";
    render();
    alert.textContent = plan.stopAdvice || "";
    if (!speak([plan.stopAdvice, L.restPosition + ": " + (rest.name || ""), rest.instruction].join(" "))) beep("rest");
    startUnit((rest.seconds || 60) * 1000);
    root.scrollIntoView();
    name.focus();
  }
  function toggleKind(k) {
    if (mode !== "symptoms") return;
    const set = kinds[i] = kinds[i] || new Set();
    if (!set.delete(k)) set.add(k);
    render();
  }
  function continueGently() {
    alert.textContent = "";
    enter(i, p); // the interrupted phase, from its start
    pause.focus();
  }

  function summary() {
    if (mode === "summary") return;
    mode = "summary";
    clearTimeout(timer);
    if (lock) lock.release().catch(() => {});
    lock = null;
    const rec = {
      clientId: (self.crypto && crypto.randomUUID) ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2),
      programme: plan.programme,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(Date.now()).toISOString(),
      steps: steps.map((s, k) => ({
        exercise: s.exercise, status: status[k] === "done" ? "done" : "skipped", symptoms: !!sympt[k],
        symptomKinds: KINDS.filter((x) => kinds[k]?.has(x)),
      })),
      symptoms,
    };
    let all = [];
    try { all = JSON.parse(store("stenose.sessions")) || []; } catch { /* start afresh */ }
    all.push(rec);
    store("stenose.sessions", JSON.stringify(all.slice(-500)));
    syncRecords();
    const done = rec.steps.filter((s) => s.status === "done").length;
    // Praise only real work: with no exercise done, the session has ended.
    sumHead.textContent = done > 0 ? L.summary : L.summaryNone;
    const row = (k, v) => [h("dt", { text: k }), h("dd", { text: String(v) })];
    sumList.replaceChildren(...row(L.summaryDone, done), ...row(L.summarySkipped, steps.length - done), ...row(L.summarySymptoms, symptoms));
    stepList.replaceChildren(...rec.steps.map((s, k) => h("li", {
      text: steps[k].name + ": " + (s.status === "done" ? L.summaryDone : L.summarySkipped) +
        (s.symptoms ? " · " + L.summarySymptoms + (s.symptomKinds.length ? ": " + s.symptomKinds.map((x) => L[x]).join(", ") : "") : ""),
    })));
    const named = new Set(rec.steps.flatMap((s) => s.symptomKinds));
    const q = ["tingling", "burning", "weakness"].filter((k) => named.has(k)).map((k) => k + "=1").join("&");
    diaryLink.href = "/dagbog/ny" + (q ? "?" + q : "");
    back.hidden = !patient();
    alert.textContent = "";
    render();
    cue(L.done + ". " + sumHead.textContent, "done");
    sumHead.focus();
  }

  // Keys while focus is in the player (WCAG 2.1.4): Space pause/resume (on
  // a button Space presses it, as always), → next/skip, ← back, S symptoms, M mute.
  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const f = {
      " ": e.target.closest("button") ? null : togglePause,
      ArrowRight: goNext, ArrowLeft: goBack, s: reportSymptoms, m: toggleMute,
    }[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (f) { e.preventDefault(); f(); }
  }

  function render() {
    const hadFocus = root.contains(document.activeElement);
    const run = mode === "run", symp = mode === "symptoms", s = steps[i], ph = phases[i][p];
    startBtn.hidden = mode !== "start";
    sumView.hidden = mode !== "summary";
    top.hidden = !sumView.hidden;
    stage.hidden = !(run || symp);
    sym.hidden = ctl.hidden = !run;
    choose.hidden = advice.hidden = which.hidden = !symp;
    for (const b of kindBtns) {
      const on = !!kinds[i]?.has(b.dataset.kind);
      b.setAttribute("aria-pressed", String(on));
      b.replaceChildren(h("span", { "aria-hidden": "true", text: on ? "✓ " : "" }), L[b.dataset.kind] || b.dataset.kind);
    }
    stepOf.textContent = symp ? L.symptoms : fmt(L.stepOf, i + 1, steps.length);
    mute.textContent = muted ? L.unmute : L.mute;
    Object.assign(root.dataset, { mode, step: i, phase: ph.t });
    const reps = run && ph.t === "reps";
    time.classList.toggle("pl-count", reps);
    act.hidden = !reps;
    now.hidden = symp;
    if (symp) {
      name.textContent = rest.name || L.restPosition;
      setImg(rest.drawing);
      advice.textContent = plan.stopAdvice || "";
      instr.textContent = rest.instruction || "";
    } else if (run) {
      name.textContent = s.name;
      setImg(s.drawing);
      instr.textContent = s.instruction || "";
      now.textContent = [paused && L.pause, phaseText(ph, false)].filter(Boolean).join(" · ");
      if (reps) big.textContent = fmt(L.rep, count, ph.reps);
      pause.textContent = paused ? L.resume : L.pause;
      pause.classList.toggle("pl-paused", paused);
      next.textContent = (isWait() ? L.next : L.skip) + " →";
    }
    const a = document.activeElement; // focus stays in the player when its button hides
    if (hadFocus && (!a || a === document.body || a.closest("[hidden]"))) (run ? pause : symp ? name : mode === "summary" ? sumHead : startBtn).focus();
  }
  function setImg(src) {
    if (src && img.getAttribute("src") !== src) img.src = src;
    img.hidden = !src;
  }

  // cue: live region + speech (a tone when no voice speaks plan.lang)
  function cue(text, kind, spoken) {
    say(text);
    if (!speak(spoken || text)) beep(kind);
  }
  function say(text) { live.textContent = text || ""; }
  function speak(text) {
    const synth = window.speechSynthesis, lang = String(plan.lang || "da").toLowerCase();
    if (muted || !synth) return muted;
    const v = synth.getVoices().find((v) => String(v.lang).toLowerCase().replace("_", "-").startsWith(lang));
    if (!v) return false;
    synth.cancel(); // the newest cue wins over a queue of old ones
    const u = new SpeechSynthesisUtterance(text);
    u.lang = v.lang;
    u.rate = 0.9;
    try { u.voice = v; } catch { /* lang is enough */ }
    synth.speak(u);
    return true;
  }
  function audioUnlock() { // an AudioContext may only start from a tap
    try { audio = audio || new AudioContext(); audio.resume().catch(() => {}); } catch { audio = null; }
  }
  function beep(kind) { // high: go, low: rest/done, two: switch sides, none: a repetition
    if (muted || !audio || kind === "rep") return;
    for (let k = 0; k < (kind === "switch" ? 2 : 1); k++) {
      const o = audio.createOscillator(), at = audio.currentTime + k * 0.4;
      o.frequency.value = kind === "rest" || kind === "done" ? 440 : 880;
      o.connect(audio.destination);
      o.start(at);
      o.stop(at + 0.2);
    }
  }
  function toggleMute() {
    muted = !muted;
    store("stenose.mute", muted ? "1" : "0");
    if (muted && window.speechSynthesis) speechSynthesis.cancel();
    if (!muted) audioUnlock();
    render();
    say(muted ? L.mute : L.unmute);
  }
  async function wake() { // the browser drops the lock when the page hides
    if (!navigator.wakeLock || (lock && !lock.released)) return;
    try { lock = await navigator.wakeLock.request("screen"); } catch { lock = null; }
  }
}

// The offline worker keeps this page and what it needs (sw.js).
function registerSW(plan) {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const urls = new Set([location.pathname]);
  for (const el of document.querySelectorAll("script[src], link[rel~=modulepreload], link[rel~=stylesheet], link[rel~=icon], img[src]")) urls.add(el.src || el.href);
  for (const s of [...(plan?.steps || []), plan?.rest]) if (s?.drawing) urls.add(s.drawing);
  sw.register("/sw.js").then(() => sw.ready).then((reg) => reg.active?.postMessage({ cache: [...urls] })).catch(() => {});
}

// Send finished records to the signed-in patient's account (the diary's
// /dagbog/sync.js); only once a diary page has marked this browser as a
// patient's, so anonymous use sends nothing.
function syncRecords() {
  try { if (!localStorage.getItem("stenose.account")) return; } catch { return; }
  import("/dagbog/sync.js").then((m) => m.syncAll()).catch(() => { /* offline: the next load or "online" tries again */ });
}
addEventListener("online", syncRecords);
syncRecords();
