// Read a Chrome net log (--log-net-log) and say whether Chrome reached, or
// tried to reach, anything but loopback. Used by run.sh after each audit.
//
//   node bench/lighthouse/netcheck.mjs NETLOG.json
//
// Prints one line per finding; exit status 1 when Chrome opened (or tried to
// open) a TCP connection or sent UDP data to a non-loopback address.
//
// Chrome's own background requests (network time, component updates, account
// list) still start despite --disable-background-networking; with
// --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" they fail at name
// resolution inside Chrome (ERR_NAME_NOT_RESOLVED, no DNS query, no socket).
// They are listed as "blocked", not as a failure. Chrome's IPv6 reachability
// probe is a UDP connect() to 2001:4860:4860::8888 that sends no packet; it is
// ignored.

import {readFileSync} from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node netcheck.mjs NETLOG.json');
  process.exit(2);
}

// Chrome writes the log as it goes; if Chrome was killed (Lighthouse does
// that) the closing "]}" is missing.
let text = readFileSync(file, 'utf8').trimEnd();
let log;
try {
  log = JSON.parse(text);
} catch {
  text = text.replace(/,\s*$/, '');
  log = JSON.parse(text + ']}');
}

const typeName = Object.fromEntries(Object.entries(log.constants.logEventTypes).map(([k, v]) => [v, k]));
const isLoopback = (addr) => /^(127\.\d+\.\d+\.\d+|\[::1\]|::1)(:\d+)?$/.test(addr);
const IPV6_PROBE = /^\[2001:4860:4860::8888\]:\d+$/;

const blocked = new Set();
const problems = [];
for (const ev of log.events ?? []) {
  const type = typeName[ev.type];
  const p = ev.params ?? {};
  if (type === 'URL_REQUEST_START_JOB' && p.url) {
    let host;
    try {
      host = new URL(p.url).hostname;
    } catch {
      continue;
    }
    if (host && !isLoopback(host)) blocked.add(host);
  }
  if (type === 'TCP_CONNECT_ATTEMPT' && p.address && !isLoopback(p.address)) {
    problems.push(`TCP connect attempt to ${p.address}`);
  }
  if (type === 'UDP_CONNECT' && p.address && !isLoopback(p.address) && !IPV6_PROBE.test(p.address)) {
    problems.push(`UDP connect to ${p.address}`);
  }
  if (type === 'UDP_BYTES_SENT' && p.address && !isLoopback(p.address)) {
    problems.push(`UDP data sent to ${p.address}`);
  }
}

if (blocked.size) {
  console.log(`blocked by host-resolver-rules (never resolved, no socket): ${[...blocked].sort().join(', ')}`);
}
for (const msg of [...new Set(problems)]) console.log(`NETWORK: ${msg}`);
process.exit(problems.length ? 1 : 0);
