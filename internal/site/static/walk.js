// stenose walk mode: a stopwatch for walking with pauses (seed, "Gående med
// pauser": short walks, lean forward in the pauses; clinical.md A5, A7).
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
"use strict";

const CUR = "stenose.walk.current";
const DONE = "stenose.walks";

const root = document.getElementById("walk");
let plan = null;
try { plan = JSON.parse(document.getElementById("walk-plan").textContent); } catch { plan = null; }
if (root && plan) init(root, plan.labels || {});
registerSW();

function fmt(s, ...args) { return String(s ?? "").replace(/%[ds]/g, () => (args.length ? args.shift() : "")); }

// clock(320) → "5:20"; clock(4000) → "1:06:40".
function clock(sec) {
  const s = Math.max(0, Math.floor(sec)), m = Math.floor(s / 60), p = (n) => String(n).padStart(2, "0");
  return (m >= 60 ? Math.floor(m / 60) + ":" + p(m % 60) : m) + ":" + p(s % 60);
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
  // st: {startedAt, bouts: [{w: walk start, s: symptoms (pause start), r: resumed}]}, ms since the epoch
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
  const main = btn("wk-main", "", toggle);
  const finish = btn("wk-finish", L.finish, end);
  const run = h("div", { class: "wk-run" }, state, time, lean, total, main, finish);
  const sumHead = h("h2", { tabindex: "-1", text: L.summary });
  const sumList = h("dl", { class: "pl-sum" });
  const boutList = h("ul", { class: "pl-steps" });
  const sum = h("div", { class: "wk-sum" }, sumHead, sumList, boutList);
  sum.hidden = true;
  root.append(sum, startBtn, run, live);
  root.hidden = false;
  for (const el of document.querySelectorAll(".no-player")) el.hidden = true; // the no-JS hints
  addEventListener("storage", (e) => { if (e.key === CUR) { st = load(CUR, null); render(); } }); // another tab
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && render());
  render();
  if (st) root.scrollIntoView(); // a walk goes on after a reload

  function last() { return st.bouts[st.bouts.length - 1]; }
  function pausing() { return st && last().s != null; }

  function start() {
    const t = Date.now();
    st = { startedAt: t, bouts: [{ w: t, s: null, r: null }] };
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
  function end() {
    const t = Date.now(), bouts = boutsOf(st, t);
    const first = bouts.find((b) => b.firstSymptomsSeconds != null);
    const rec = {
      clientId: (self.crypto && crypto.randomUUID) ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2),
      startedAt: new Date(st.startedAt).toISOString(),
      endedAt: new Date(t).toISOString(),
      bouts,
      walkSeconds: bouts.reduce((a, b) => a + b.walkSeconds, 0),
      pauseSeconds: bouts.reduce((a, b) => a + b.pauseSeconds, 0),
      firstSymptomsSeconds: first ? first.firstSymptomsSeconds : null,
    };
    const all = load(DONE, []);
    all.push(rec);
    save(DONE, all.slice(-1000));
    syncRecords();
    save(CUR, null);
    st = null;
    sumList.replaceChildren(
      h("dt", { text: L.total }), h("dd", { text: clock(rec.walkSeconds) }),
      h("dt", { text: L.firstSymptoms }), h("dd", { text: first ? clock(first.firstSymptomsSeconds) : "–" }),
      h("dt", { text: L.pauseTime }), h("dd", { text: clock(rec.pauseSeconds) }));
    boutList.replaceChildren(...bouts.map((b, k) => h("li", {
      text: fmt(L.bout, k + 1) + ": " + clock(b.walkSeconds) + (b.firstSymptomsSeconds == null ? "" : " · " + L.pausing + " " + clock(b.pauseSeconds)),
    })));
    sum.hidden = false;
    render();
    live.textContent = L.summary + " " + L.total + ": " + clock(rec.walkSeconds);
    sumHead.focus();
  }

  // render shows the current state; `announce` also tells it in the live region.
  function render(announce) {
    clearTimeout(timer);
    startBtn.hidden = !!st;
    run.hidden = !st;
    if (!st) return;
    const p = pausing(), b = last(), n = st.bouts.length;
    const now = Date.now(), since = now - (p ? b.s : b.w), t = now - (since % 1000); // whole seconds
    const walked = boutsOf(st, t).reduce((a, x) => a + x.walkSeconds, 0);
    state.textContent = (p ? L.pausing : L.walking) + " · " + fmt(L.bout, n);
    bigLabel.textContent = p ? L.pauseTime + " " : "";
    big.textContent = clock(since / 1000);
    lean.hidden = !p;
    total.textContent = L.total + ": " + clock(walked);
    main.textContent = p ? L.resume : L.pause;
    main.classList.toggle("wk-pausing", p);
    root.dataset.mode = p ? "pausing" : "walking";
    if (announce) live.textContent = p ? L.pausing + ". " + L.leanPrompt : L.walking + ". " + fmt(L.bout, n);
    timer = setTimeout(render, 1000 - (since % 1000)); // at the next whole second
  }
}

// registerSW installs the offline worker and asks it to keep this page and
// the files it uses.
function registerSW() {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const urls = new Set([location.pathname]);
  for (const el of document.querySelectorAll("script[src], link[rel~=stylesheet], link[rel~=icon], img[src]")) urls.add(el.src || el.href);
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
