// expand.mjs: the calendar feed read by a real iCalendar parser, ical.js
// (npm, pinned in package.json), for internal/calendar's tests.
//
//   node expand.mjs TO < feed.ics
//
// Reads an iCalendar feed on stdin, checks what RFC 5545 asks of it (one
// VCALENDAR with VERSION 2.0 and a PRODID; every VEVENT with a UID, unique,
// a DTSTAMP and a DTSTART; every TZID defined by a VTIMEZONE of the file),
// expands every event's occurrences that start before TO (unix seconds)
// with ical.js's own recurrence rules and time zones, and prints them as
// JSON: [{uid, summary, allDay, tzid, start, end, localStart, localEnd}],
// start and end in unix seconds (a date for an all-day event). Any problem:
// a message on stderr and exit status 2.
import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';

const fail = (msg) => {
  console.error(msg);
  process.exit(2);
};

const to = Number(process.argv[2]);
if (!Number.isFinite(to)) fail('usage: node expand.mjs TO < feed.ics');

let comp;
try {
  comp = new ICAL.Component(ICAL.parse(readFileSync(0, 'utf8')));
} catch (e) {
  fail('not iCalendar: ' + e.message);
}
if (comp.name !== 'vcalendar') fail('the top component is ' + comp.name);
if (comp.getFirstPropertyValue('version') !== '2.0') fail('VERSION is not 2.0');
if (!comp.getFirstPropertyValue('prodid')) fail('no PRODID');
for (const sub of comp.getAllSubcomponents()) {
  if (sub.name !== 'vevent' && sub.name !== 'vtimezone') fail('an unexpected component: ' + sub.name);
}

const uids = new Set();
const out = [];
const time = (t) => (t.isDate ? t.toString() : t.toUnixTime());
for (const vevent of comp.getAllSubcomponents('vevent')) {
  for (const p of ['uid', 'dtstamp', 'dtstart']) {
    if (!vevent.hasProperty(p)) fail('a VEVENT without ' + p.toUpperCase());
  }
  const uid = vevent.getFirstPropertyValue('uid');
  if (uids.has(uid)) fail('UID twice: ' + uid);
  uids.add(uid);
  for (const p of vevent.getAllProperties()) {
    const tzid = p.getParameter('tzid');
    if (tzid && !comp.getTimeZoneByID(tzid)) fail(`${p.name}: TZID ${tzid} has no VTIMEZONE`);
  }
  const ev = new ICAL.Event(vevent);
  const add = (s, e) => out.push({
    uid, summary: ev.summary, allDay: s.isDate, tzid: s.isDate ? '' : s.zone.tzid,
    start: time(s), end: time(e), localStart: s.toString(), localEnd: e.toString(),
  });
  if (!ev.isRecurring()) {
    add(ev.startDate, ev.endDate);
    continue;
  }
  const it = ev.iterator();
  for (let next = it.next(); next && next.toUnixTime() < to; next = it.next()) {
    const d = ev.getOccurrenceDetails(next);
    add(d.startDate, d.endDate);
    if (out.length > 20000) fail('more than 20,000 occurrences: does the series end?');
  }
}
process.stdout.write(JSON.stringify(out));
