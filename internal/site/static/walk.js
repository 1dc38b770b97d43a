// stenose walk mode: a stopwatch for walking with pauses (seed, "Gående med
// pauser": short walks, lean forward in the pauses; docs/sources.md A5, A7).
// Start; "Pause" when symptoms come (it records the time to the first
// symptoms of that walking bout); during the pause a prompt to lean forward
// and the pause time; "Gå videre"; finish. The page works without JS (it
// explains how to walk with pauses); this module enhances #walk.
//
// The walk survives a locked phone or a reload: its state is a list of
// timestamps in localStorage ("stenose.walk.current"), and every time shown
// is computed from them and Date.now(). Finished walks are appended to
// "stenose.walks": {startedAt, endedAt, bouts: [{walkSeconds, pauseSeconds,
// firstSymptomsSeconds}], walkSeconds, pauseSeconds, firstSymptomsSeconds}.
// A bout is one stretch of walking; it ends with a pause (symptoms) or with
// the finish, and then has firstSymptomsSeconds null and no pause.
//
// The walking test (/gang?gangtest=1, linked from the baseline page
// /start/udgangspunkt): the Self-Paced Walking Test of docs/sources.md
// ("Meaningful change"): walk on level ground at your own pace until the
// symptoms force a stop, at most 30 minutes (the published protocol's
// ceiling as docs/sources.md gives it; the baseline form also takes at
// most 30:00). It is ONE bout with no pauses: "Nu kommer symptomerne" marks the
// time to the first symptoms and the walk goes on; "Stop – jeg må stoppe"
// (or the 30-minute ceiling) ends it. The result is shown in plain words
// with a link that pre-fills the baseline form (?foerste=195&stop=390, or
// ?stop=390&ingen=ja when no symptoms were marked); the server only
// pre-fills, and the patient still checks the times and submits the form.
// The test walk is kept and synced like any walk (it IS a walk: its one
// bout has walkSeconds = time to stop and firstSymptomsSeconds = time to
// the first symptoms, which walk-based progress reads the same way), with
// test: "spwt" added so it can be told apart (the server ignores it). The
// current walk's state carries test: true, so a reload, another tab or a
// plain /gang carry on with the test; a walk in progress keeps its own kind
// whatever the address says.
"use strict";

import { patient, patientMenu, todayHref } from "./patient.js"; // the patient's menu, shared with player.js

const CUR = "stenose.walk.current";
const DONE = "stenose.walks";
const TEST_MAX = 30 * 60; // seconds: the SPWT's ceiling (docs/sources.md, "Meaningful change": "at most 30 minutes")
const TEST_RECALL = 12 * 3600 * 1000; // a finished test's result is shown again for this long (ms)
const BASELINE = "/start/udgangspunkt"; // the app's baseline form (internal/web/onboarding.go)
const testAsked = new URLSearchParams(location.search).get("gangtest") === "1";

const root = document.getElementById("walk");
let plan = null;
try { plan = JSON.parse(document.getElementById("walk-plan").textContent); } catch { plan = null; }
if (root && plan) init(root, plan.labels || {});
registerSW();
patientMenu();

function fmt(s, ...args) { return String(s ?? "").replace(/%[ds]/g, () => (args.length ? args.shift() : "")); }

// clock(320) → "5:20"; clock(4000) → "1:06:40".
function clock(sec) {
  const s = Math.max(0, Math.floor(sec)), m = Math.floor(s / 60), p = (n) => String(n).padStart(2, "0");
  return (m >= 60 ? Math.floor(m / 60) + ":" + p(m % 60) : m) + ":" + p(s % 60);
}

// spoken(195, L) → "3 minutter og 15 sekunder": a duration in plain words.
function spoken(sec, L) {
  const s = Math.max(0, Math.round(sec)), m = Math.floor(s / 60), r = s % 60;
  // The browser's CLDR plural rules for the page's language (the same
  // rules as the server's catalogue): "one" picks the singular text.
  const plural = new Intl.PluralRules(document.documentElement.lang || "da");
  const one = (n) => plural.select(n) === "one";
  const mins = fmt(one(m) ? L.testMinute : L.testMinutes, m), secs = fmt(one(r) ? L.testSecond : L.testSeconds, r);
  if (!m) return secs;
  return r ? fmt(L.testAnd, mins, secs) : mins;
}

// baselineHref is the link that pre-fills the baseline form with a test's
// times (whole seconds).
function baselineHref(rec) {
  const q = rec.firstSymptomsSeconds == null
    ? { stop: rec.walkSeconds, ingen: "ja" }
    : { foerste: rec.firstSymptomsSeconds, stop: rec.walkSeconds };
  if (location.pathname.startsWith("/en/")) q.lang = "en"; // the app in English too (internal/web/lang.go)
  return BASELINE + "?" + new URLSearchParams(q);
}

function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
}

function load(key, dflt) {
  try { return JSON.parse(localStorage.getItem(key)) ?? dflt; } catch { return dflt; }
}
function save(key, val) {
  try { if (val == null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(val)); } catch { /* private mode */ }
}

// boutsOf turns the stored timestamps (ms) into whole seconds; `end` closes
// the last bout.
function boutsOf(st, end) {
  const sec = (a, b) => Math.round((b - a) / 1000);
  return st.bouts.map((b) => ({
    walkSeconds: sec(b.w, b.s ?? end),
    pauseSeconds: b.s == null ? 0 : sec(b.s, b.r ?? end),
    firstSymptomsSeconds: b.s == null ? null : sec(b.w, b.s),
  }));
}

function init(root, L) {
  // st: {startedAt, bouts: [{w: walk start, s: symptoms (pause start), r: resumed}], ms since the epoch;
  // a walking test also has test: true and first: the time its symptoms were marked (ms) or null}
  let st = load(CUR, null);
  if (!st || !Array.isArray(st.bouts) || !st.bouts.length) st = null;
  let timer = 0;

  const btn = (cls, text, onclick) => h("button", { type: "button", class: "pl-btn " + cls, text, onclick });
  const live = h("p", { class: "pl-sr", "aria-live": "polite", "aria-atomic": "true" });
  const state = h("h2", { class: "wk-state", tabindex: "-1" });
  const lean = h("p", { class: "wk-lean", text: L.leanPrompt });
  const bigLabel = h("span", { class: "wk-label" });
  const big = h("span", { class: "pl-big" });
  const time = h("p", { class: "pl-time wk-time" }, bigLabel, big);
  const total = h("p", { class: "wk-total" });
  const startBtn = btn("pl-start", L.start, start);
  const main = btn("wk-main", "", () => (isTest() ? symptoms() : toggle()));
  const finish = btn("wk-finish", L.finish, () => end());
  const run = h("div", { class: "wk-run" }, state, time, lean, total, main, finish);
  const sumHead = h("h2", { tabindex: "-1", text: L.summary });
  const sumText = h("p", { class: "wk-result" });
  const sumList = h("dl", { class: "pl-sum" });
  const boutList = h("ul", { class: "pl-steps" });
  const useLink = h("a", { class: "button wk-use", href: BASELINE, text: L.testUse });
  const useHint = h("p", { class: "wk-use-hint", text: L.testUseHint });
  const use = h("div", { class: "wk-use-box" }, h("p", {}, useLink), useHint);
  const diary = h("p", {}, h("a", { class: "button", href: "/dagbog/ny", text: L.diary }));
  // A signed-in patient ends a walk with the way back to today.
  const back = h("p", {}, h("a", { class: "button secondary", href: todayHref(), text: L.today }));
  const sum = h("div", { class: "wk-sum" }, sumHead, sumText, sumList, boutList, use, diary, back);
  sum.hidden = true;
  // The walking test's instructions, before it starts.
  const intro = h("div", { class: "wk-intro" },
    h("ol", { class: "pl-steps" }, ...[L.testStep1, L.testStep2, L.testStep3, L.testStep4].map((t) => h("li", { text: t }))),
    h("p", { class: "pl-advice", text: L.testSafety }));
  // The page's heading and lead are walk mode's; the test swaps in its own.
  const h1 = document.querySelector(".walk-page h1"), lead = document.querySelector(".walk-page .lead");
  const page = { h1: h1 && h1.textContent, lead: lead && lead.textContent, title: document.title };
  let shownAs = null;
  root.append(intro, sum, startBtn, run, live);
  root.hidden = false;
  for (const el of document.querySelectorAll(".no-player")) el.hidden = true; // the no-JS hints
  addEventListener("storage", (e) => { if (e.key === CUR) { st = load(CUR, null); render(); } }); // another tab
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && render());
  if (!st && testAsked) { // a test finished a little while ago: its result, with the link, again
    const rec = load(DONE, []).filter((r) => r && r.test === "spwt").pop();
    if (rec && Date.now() - Date.parse(rec.endedAt) < TEST_RECALL) showSummary(rec);
  }
  render();
  if (st) root.scrollIntoView(); // a walk goes on after a reload

  // A walk in progress keeps its kind; a new one is a test when the address asks.
  function isTest() { return st ? !!st.test : testAsked; }
  function last() { return st.bouts[st.bouts.length - 1]; }
  function pausing() { return st && !st.test && last().s != null; }

  // mode sets the page's heading, lead and title for a test or a walk.
  function mode(test) {
    if (shownAs === test) return;
    shownAs = test;
    if (h1) h1.textContent = test ? L.testTitle : page.h1;
    if (lead) lead.textContent = test ? L.testLead : page.lead;
    document.title = test ? L.testTitle + " – " + page.title.split(" – ").slice(1).join(" – ") : page.title;
    startBtn.textContent = test ? L.testStart : L.start;
  }

  function start() {
    const t = Date.now();
    st = { startedAt: t, bouts: [{ w: t, s: null, r: null }] };
    if (testAsked) { st.test = true; st.first = null; }
    save(CUR, st);
    sum.hidden = true;
    render(true);
    root.scrollIntoView();
    main.focus();
  }
  // Pause when the symptoms come; walk on when they have eased.
  function toggle() {
    const t = Date.now();
    if (pausing()) { last().r = t; st.bouts.push({ w: t, s: null, r: null }); }
    else last().s = t;
    save(CUR, st);
    render(true);
  }
  // The walking test: mark the first symptoms once and walk on; the stop
  // button is then the one thing left to press.
  function symptoms() {
    if (st.first == null) st.first = Date.now();
    save(CUR, st);
    render(true);
    finish.focus();
  }
  function end(at) {
    const t = at ?? Date.now(), test = !!st.test;
    let bouts;
    if (test) {
      const sec = (b) => Math.round((b - st.startedAt) / 1000);
      const stop = Math.min(TEST_MAX, sec(t));
      bouts = [{ walkSeconds: stop, pauseSeconds: 0, firstSymptomsSeconds: st.first == null ? null : Math.min(stop, sec(st.first)) }];
    } else bouts = boutsOf(st, t);
    const first = bouts.find((b) => b.firstSymptomsSeconds != null);
    const walkSeconds = bouts.reduce((a, b) => a + b.walkSeconds, 0);
    const rec = {
      clientId: (self.crypto && crypto.randomUUID) ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2),
      startedAt: new Date(st.startedAt).toISOString(),
      endedAt: new Date(test ? st.startedAt + walkSeconds * 1000 : t).toISOString(),
      bouts,
      walkSeconds,
      pauseSeconds: bouts.reduce((a, b) => a + b.pauseSeconds, 0),
      firstSymptomsSeconds: first ? first.firstSymptomsSeconds : null,
    };
    if (test) rec.test = "spwt";
    const all = load(DONE, []);
    all.push(rec);
    save(DONE, all.slice(-1000));
    syncRecords();
    save(CUR, null);
    st = null;
    showSummary(rec);
    render();
    live.textContent = test ? sumHead.textContent + ". " + sumText.textContent : sumHead.textContent + " " + L.total + ": " + clock(rec.walkSeconds);
    sumHead.focus();
  }

  // showSummary fills in the summary of a finished walk or test.
  function showSummary(rec) {
    const test = rec.test === "spwt", first = rec.firstSymptomsSeconds;
    if (test) {
      sumHead.textContent = L.testDone;
      sumText.textContent = (first == null ? fmt(L.testResultNone, spoken(rec.walkSeconds, L)) : fmt(L.testResult, spoken(first, L), spoken(rec.walkSeconds, L))) +
        (rec.walkSeconds >= TEST_MAX ? " " + L.testReachedMax : "");
      sumList.replaceChildren(
        h("dt", { text: L.firstSymptoms }), h("dd", { text: first == null ? L.testNotMarked : clock(first) }),
        h("dt", { text: L.testStopTime }), h("dd", { text: clock(rec.walkSeconds) }));
      useLink.href = baselineHref(rec);
    } else {
      sumHead.textContent = rec.walkSeconds > 0 ? L.summary : L.summaryNone; // praise only a walk
      sumList.replaceChildren(
        h("dt", { text: L.total }), h("dd", { text: clock(rec.walkSeconds) }),
        h("dt", { text: L.firstSymptoms }), h("dd", { text: first != null ? clock(first) : "–" }),
        h("dt", { text: L.pauseTime }), h("dd", { text: clock(rec.pauseSeconds) }));
      boutList.replaceChildren(...rec.bouts.map((b, k) => h("li", {
        text: fmt(L.bout, k + 1) + ": " + clock(b.walkSeconds) + (b.firstSymptomsSeconds == null ? "" : " · " + L.pausing + " " + clock(b.pauseSeconds)),
      })));
    }
    sumText.hidden = use.hidden = !test;
    boutList.hidden = diary.hidden = test; // after a walk, the diary; after the test, the baseline
    back.hidden = test || !patient(); // the test's way on is the baseline form, which leads to today
    sum.hidden = false;
  }

  // render shows the current state; `announce` also tells it in the live region.
  function render(announce) {
    clearTimeout(timer);
    const test = isTest();
    mode(test);
    startBtn.hidden = !!st;
    run.hidden = !st;
    intro.hidden = !test || !!st || !sum.hidden;
    if (!st) return;
    if (test) { renderTest(announce); return; }
    const p = pausing(), b = last(), n = st.bouts.length;
    const now = Date.now(), since = now - (p ? b.s : b.w), t = now - (since % 1000); // whole seconds
    const walked = boutsOf(st, t).reduce((a, x) => a + x.walkSeconds, 0);
    state.textContent = (p ? L.pausing : L.walking) + " · " + fmt(L.bout, n);
    bigLabel.textContent = p ? L.pauseTime + " " : "";
    big.textContent = clock(since / 1000);
    lean.hidden = !p;
    total.textContent = L.total + ": " + clock(walked);
    main.hidden = false;
    main.textContent = p ? L.resume : L.pause;
    main.classList.toggle("wk-pausing", p);
    finish.textContent = L.finish;
    finish.classList.remove("pl-act");
    root.dataset.mode = p ? "pausing" : "walking";
    if (announce) live.textContent = p ? L.pausing + ". " + L.leanPrompt : L.walking + ". " + fmt(L.bout, n);
    timer = setTimeout(render, 1000 - (since % 1000)); // at the next whole second
  }

  // renderTest: one bout, the time since the start; the test ends itself at
  // the ceiling (also when the phone was locked past it).
  function renderTest(announce) {
    const since = Date.now() - st.startedAt;
    if (since >= TEST_MAX * 1000) { end(st.startedAt + TEST_MAX * 1000); return; }
    const marked = st.first != null, first = marked ? clock(Math.round((st.first - st.startedAt) / 1000)) : "";
    state.textContent = L.testTitle + " · " + L.walking;
    bigLabel.textContent = "";
    big.textContent = clock(since / 1000);
    lean.hidden = true;
    total.textContent = marked ? fmt(L.testWalkOn, first) : L.testCeiling;
    main.hidden = marked;
    main.textContent = L.testSymptoms;
    main.classList.remove("wk-pausing");
    finish.textContent = L.testStop;
    finish.classList.toggle("pl-act", marked); // the one button left: big and filled
    root.dataset.mode = marked ? "test-symptoms" : "test-walking";
    if (announce) live.textContent = marked ? fmt(L.testWalkOn, first) : L.testStarted;
    timer = setTimeout(render, 1000 - (since % 1000));
  }
}

// registerSW installs the offline worker and asks it to keep this page and
// the files it uses.
function registerSW() {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const urls = new Set([location.pathname]);
  for (const el of document.querySelectorAll("script[src], link[rel~=modulepreload], link[rel~=stylesheet], link[rel~=icon], img[src]")) urls.add(el.src || el.href);
  sw.register("/sw.js").then(() => sw.ready).then((reg) => reg.active && reg.active.postMessage({ cache: [...urls] })).catch(() => {});
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
