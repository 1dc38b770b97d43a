// stenose sync: sends the finished sessions ("stenose.sessions", from the
// player) and walks ("stenose.walks", from walk mode) kept in this browser
// to the signed-in patient's account, each exactly once: every record has
// a clientId (crypto.randomUUID), the server keeps the first copy of each,
// and a record is marked synced only after a 2xx answer. A record the
// server refuses (400, or 422: a value the rules refuse, such as a time
// after now) is marked rejected and kept, not sent again. When
// the answer says the visitor is not a signed-in patient (a redirect to
// sign in, 401 or 403), everything is kept and sending stops.
//
// Served at /dagbog/sync.js (outside the service worker's cache-first
// /static/). The diary page loads it; it then sets "stenose.account", and
// only while that is set do player.js and walk.js import it after saving a
// record, so anonymous use of the player sends nothing.
//
// One browser, several patients: "stenose.account" holds the owner tag of
// the account this browser belongs to (the diary's data-owner, an opaque
// per-account value from the server, not the login). Each record is
// stamped with an owner ("owner") and is only ever sent while that owner
// is the browser's account; a record of another account is kept for it.
//   - An unstamped record belongs to the account the browser had when it
//     was made: it is stamped when the browser's account changes (a diary
//     page shows another owner, or the sign-in page is shown: after signing
//     out or when a session has ended), and when syncAll runs after it was
//     saved or sends it.
//   - A record made before any sign-in on this browser (or after a
//     sign-out) is unstamped with no account set: it goes to the first
//     account whose diary page is opened next.
//   - Every record is sent with its owner (header X-Stenose-Owner); the
//     server answers 409 when that is not the signed-in account (this page
//     still believed someone else was signed in), and everything is kept.
//   - The flag "1" of an older sync.js names no account: it is dropped and
//     nothing is sent until a diary page says who is signed in.
const KINDS = [["stenose.sessions", "/api/traening"], ["stenose.walks", "/api/gang"]];
const FLAG = "stenose.account";
const LEGACY = "1";
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

function account() {
  try { return localStorage.getItem(FLAG) || ""; } catch { return ""; }
}
function setAccount(owner) {
  try {
    if (owner) localStorage.setItem(FLAG, owner);
    else localStorage.removeItem(FLAG);
  } catch { /* ignore */ }
}

// claim stamps every unstamped record (and gives it a clientId) as owner's.
function claim(owner) {
  if (!owner || owner === LEGACY) return;
  for (const [key] of KINDS) {
    const list = load(key);
    let changed = false;
    for (const r of list) {
      if (r && !r.owner) { r.owner = owner; changed = true; }
    }
    if (changed) save(key, list);
  }
}

// switchAccount makes owner (a tag, or "" when signed out) the browser's
// account; what was made under the previous one is stamped as its first.
function switchAccount(owner) {
  const prev = account();
  if (prev === owner) return;
  claim(prev);
  setAccount(owner);
}

// mark sets a field on the record with clientId id, re-reading the list
// first so a record added meanwhile is not lost.
function mark(key, id, field) {
  const list = load(key);
  const rec = list.find((r) => r && r.clientId === id);
  if (rec) { rec[field] = true; save(key, list); }
}

// send posts owner's unsynced records of one kind; it returns the number
// sent, or -1 when sending should stop.
async function send(key, url, owner) {
  const list = load(key);
  let added = false;
  for (const r of list) {
    if (r && !r.clientId) { r.clientId = uuid(); added = true; }
    if (r && !r.owner) { r.owner = owner; added = true; }
  }
  if (added) save(key, list);
  let n = 0;
  for (const rec of list) {
    if (!rec || rec.synced || rec.rejected || rec.owner !== owner) continue;
    let res;
    try {
      res = await fetch(url, {
        method: "POST", headers: { "Content-Type": "application/json", "X-Stenose-Owner": owner }, body: JSON.stringify(rec),
        credentials: "same-origin", redirect: "manual",
      });
    } catch { return -1; } // offline: the "online" event tries again
    if (res.type === "opaqueredirect" || res.status === 401 || res.status === 403 || res.status === 409) {
      setAccount(""); // not (or no longer) this account's browser: a diary page will say whose
      return -1;
    }
    if (res.ok) { mark(key, rec.clientId, "synced"); n++; }
    else if (res.status === 400 || res.status === 422) mark(key, rec.clientId, "rejected");
    else return -1; // the server is unwell: try again later
  }
  return n;
}

// syncAll sends the browser's account's unsynced records, one request at a
// time; it resolves to the number saved on the server. Without an account
// it sends nothing.
export function syncAll() {
  const owner = account();
  if (owner === LEGACY) { // an older sync.js's flag: whose is not known
    for (const [key] of KINDS) {
      const list = load(key);
      let added = false;
      for (const r of list) if (r && !r.clientId) { r.clientId = uuid(); added = true; }
      if (added) save(key, list);
    }
    setAccount("");
    return Promise.resolve(0);
  }
  if (!owner) return Promise.resolve(0);
  claim(owner); // saved while this account had the browser, even offline
  if (!navigator.onLine) return Promise.resolve(0);
  if (!running) {
    running = (async () => {
      let total = 0;
      for (const [key, url] of KINDS) {
        const n = await send(key, url, owner);
        if (n < 0) break;
        total += n;
      }
      return total;
    })().finally(() => { running = null; });
  }
  return running;
}

// On a diary page: remember which patient this browser belongs to, send
// what is waiting for them, and again whenever the network returns.
const status = document.getElementById("stenose-sync");
if (status && status.dataset.owner) {
  switchAccount(status.dataset.owner);
  const run = () => syncAll().then((n) => {
    if (n > 0) status.textContent = n === 1 ? "1 træning eller gåtur fra denne enhed er gemt på din konto." : n + " træninger og gåture fra denne enhed er gemt på din konto.";
  });
  run();
  addEventListener("online", run);
}

// On the sign-in page (where signing out lands, and where an ended session
// sends you) no one is signed in: what was made meanwhile is the previous
// account's, and the browser belongs to no one until a diary page is
// opened again.
if (document.querySelector('form[action="/konto/log-ind"]')) switchAccount("");
