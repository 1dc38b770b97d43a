// stenose: the patient's menu on the player's and walk mode's pages, one
// module both import (player.js, walk.js). The site serves it
// fingerprinted like every static file and writes its address into their
// import when it starts (internal/site: linkImports).
//
// A patient signed in on this browser: the app keeps the cookie
// "stenose_patient=1" while one is (internal/web/menu.go; a hint, not a
// credential). The page is the same for everyone, so the patient's menu
// (<template id="patient-menu">) replaces the public one here, in the
// browser; without JavaScript or the cookie the public menu stays.
"use strict";

export function patient() { return /(?:^|;\s*)stenose_patient=1(?:;|$)/.test(document.cookie); }

export function patientMenu() {
  const tpl = document.getElementById("patient-menu"), ul = document.querySelector(".site-header nav ul");
  if (!tpl || !ul || !patient()) return;
  for (const li of [...ul.children]) if (!li.querySelector("[hreflang], .lang-switch")) li.remove(); // the language switch (a link, or the app's form) stays
  ul.prepend(tpl.content.cloneNode(true));
}

// todayHref is the patient menu's "I dag" (in the page's language).
export function todayHref() {
  return document.getElementById("patient-menu")?.content.querySelector('a[href$="/i-dag"]')?.getAttribute("href") || "/i-dag";
}
