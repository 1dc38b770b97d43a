// stenose sync: sends the finished sessions ("stenose.sessions", from the
// player) and walks ("stenose.walks", from walk mode) kept in this browser
// to the signed-in patient's account, each exactly once: every record has
// a clientId (crypto.randomUUID), the server keeps the first copy of each,
// and a record is marked synced only after a 2xx answer. A record the
// server refuses (400) is marked rejected and kept, not sent again. When
// the answer says the visitor is not a signed-in patient (a redirect to
// sign in, 401 or 403), everything is kept and sending stops.
//
// Served at /dagbog/sync.js (outside the service worker's cache-first
// /static/). The diary pages load it; it then sets "stenose.account", and
// only while that is set do player.js and walk.js import it after saving a
// record, so anonymous use of the player sends nothing.
const KINDS = [["stenose.sessions", "/api/traening"], ["stenose.walks", "/api/gang"]];
const FLAG = "stenose.account";
let running = null;

function uuid() {
  if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
function load(key) {
  try { return JSON.parse(localStorage.getItem(key)) || []; } catch { return []; }
}
function save(key, val) {
  try { localStorage.setItem(key, JSON.stringify(val)); } catch { /* private mode: nothing to keep */ }
}

// mark sets a field on the record with clientId id, re-reading the list
// first so a record added meanwhile is not lost.
function mark(key, id, field) {
  const list = load(key);
  const rec = list.find((r) => r && r.clientId === id);
  if (rec) { rec[field] = true; save(key, list); }
}

// send posts the unsynced records of one kind; it returns the number sent,
// or -1 when sending should stop.
async function send(key, url) {
  const list = load(key);
  let added = false;
  for (const r of list) if (r && !r.clientId) { r.clientId = uuid(); added = true; }
  if (added) save(key, list);
  let n = 0;
  for (const rec of list) {
    if (!rec || rec.synced || rec.rejected) continue;
    let res;
    try {
      res = await fetch(url, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(rec),
        credentials: "same-origin", redirect: "manual",
      });
    } catch { return -1; } // offline: the "online" event tries again
    if (res.type === "opaqueredirect" || res.status === 401 || res.status === 403) {
      try { localStorage.removeItem(FLAG); } catch { /* ignore */ }
      return -1;
    }
    if (res.ok) { mark(key, rec.clientId, "synced"); n++; }
    else if (res.status === 400) mark(key, rec.clientId, "rejected");
    else return -1; // the server is unwell: try again later
  }
  return n;
}

// syncAll sends every unsynced record, one request at a time; it resolves
// to the number saved on the server.
export function syncAll() {
  if (!navigator.onLine) return Promise.resolve(0);
  if (!running) {
    running = (async () => {
      let total = 0;
      for (const [key, url] of KINDS) {
        const n = await send(key, url);
        if (n < 0) break;
        total += n;
      }
      return total;
    })().finally(() => { running = null; });
  }
  return running;
}

// On a diary page: remember that this browser belongs to a signed-in
// patient, send what is waiting, and again whenever the network returns.
const status = document.getElementById("stenose-sync");
if (status) {
  try { localStorage.setItem(FLAG, "1"); } catch { /* ignore */ }
  const run = () => syncAll().then((n) => {
    if (n > 0) status.textContent = n === 1 ? "1 træning eller gåtur fra denne enhed er gemt på din konto." : n + " træninger og gåture fra denne enhed er gemt på din konto.";
  });
  run();
  addEventListener("online", run);
}
