// Summarise Lighthouse JSON reports: a score table, then, for every category
// under 100, the audits that cost points. Used by run.sh; also works alone:
//
//   node bench/lighthouse/report.mjs REPORT.json…
//
// Several reports of the same URL are several runs: the table shows the
// median run (Lighthouse's own computeMedianRun: the run nearest the median
// FCP and TTI) and, when the runs disagree, the lowest–highest score in
// brackets. Audit details come from the median run.
//
// An audit "costs points" when it has a weight > 0 in the category's
// auditRefs, its scoreDisplayMode is binary or numeric, and its score < 1.
// Weighted audits that errored (scoreDisplayMode "error") are listed too,
// since they can hide a problem.
//
// LH_DIAGNOSTICS=0 hides the list of unweighted audits that found something.
//
// Exit status: 0 when every report was read and has no runtime error, else 1.

import {readFileSync} from 'node:fs';
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const SHORT = {performance: 'perf', accessibility: 'a11y', 'best-practices': 'best', seo: 'seo'};
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];
const RELATED = {
  'total-blocking-time': ['long-tasks', 'bootup-time'],
  'largest-contentful-paint': ['largest-contentful-paint-element', 'lcp-discovery-insight'],
  'cumulative-layout-shift': ['layout-shifts'],
  'speed-index': ['mainthread-work-breakdown'],
  'first-contentful-paint': ['render-blocking-resources'],
};
const MAX_ITEMS = 12;
const MAX_SNIPPET = 240;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node report.mjs REPORT.json…');
  process.exit(2);
}

let bad = false;
const all = [];
for (const file of files) {
  try {
    const lhr = JSON.parse(readFileSync(file, 'utf8'));
    if (lhr.runtimeError) {
      console.error(`lighthouse: ${file}: runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      bad = true;
      continue;
    }
    all.push(lhr);
  } catch (err) {
    console.error(`lighthouse: cannot read ${file}: ${err.message}`);
    bad = true;
  }
}

const pathOf = (lhr) => {
  try {
    const u = new URL(lhr.requestedUrl || lhr.finalDisplayedUrl);
    return u.pathname + u.search;
  } catch {
    return String(lhr.requestedUrl);
  }
};
const pct = (cat) => (cat && typeof cat.score === 'number' ? Math.round(cat.score * 100) : null);
const clip = (s, n = MAX_SNIPPET) => {
  s = String(s).replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
};

// Group runs by path, in the order the paths first appear.
const groups = new Map();
for (const lhr of all) {
  const key = pathOf(lhr);
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(lhr);
}
const reports = [];
for (const [path, runs] of groups) {
  let median = runs[0];
  if (runs.length > 1) {
    try {
      median = computeMedianRun(runs);
    } catch {
      // A run without FCP/TTI: fall back to the median performance score.
      median = runs.slice().sort((a, b) =>
        (pct(a.categories?.performance) ?? -1) - (pct(b.categories?.performance) ?? -1))[(runs.length - 1) >> 1];
    }
  }
  reports.push({path, runs, lhr: median});
}
const nRuns = Math.max(0, ...reports.map((r) => r.runs.length));

// ---------------------------------------------------------------- table

const cell = ({runs, lhr}, id) => {
  const m = pct(lhr.categories?.[id]);
  if (m === null) return '—';
  const all = runs.map((r) => pct(r.categories?.[id])).filter((v) => v !== null);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return lo === hi ? String(m) : `${m} (${lo}–${hi})`;
};
const rows = reports.map((r) => [r.path, ...CATEGORIES.map((id) => cell(r, id))]);
const head = ['path', ...CATEGORIES.map((id) => SHORT[id])];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
const first = reports[0]?.lhr;
console.log('');
console.log(`Lighthouse ${first?.lighthouseVersion ?? '?'}, form factor ${first?.configSettings?.formFactor ?? '?'}, ` +
  `throttling ${first?.configSettings?.throttlingMethod ?? '?'} ` +
  `(CPU ×${first?.configSettings?.throttling?.cpuSlowdownMultiplier ?? '?'}), ` +
  (nRuns > 1 ? `median of ${nRuns} runs per page, (lowest–highest) when runs differ` : 'one run per page'));
console.log('');
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));

// ---------------------------------------------------------------- metrics

console.log('');
console.log('Performance metrics of the median run (simulated mobile); BI = Lighthouse\'s CPU benchmark index of each run (higher = faster, less contended CPU):');
for (const {path, runs, lhr} of reports) {
  const parts = METRICS.map(([id, label]) => `${label} ${lhr.audits?.[id]?.displayValue ?? '—'}`);
  const bi = runs.map((r) => Math.round(r.environment?.benchmarkIndex ?? 0)).join('/');
  console.log(`  ${path}: ${parts.join(', ')}; BI ${bi}`);
}

// ---------------------------------------------------------------- details

function fmtValue(v, heading) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') {
    const type = heading?.valueType;
    if (typeof v === 'number') {
      if (type === 'bytes') return `${(v / 1024).toFixed(1)} KiB`;
      if ((type === 'ms' || type === 'timespanMs') && heading?.displayUnit === 'duration') {
        const units = [[86400000, 'd'], [3600000, 'h'], [60000, 'min'], [1000, 's']];
        const [div, unit] = units.find(([d]) => v >= d) ?? [1, 'ms'];
        return `${Math.round((v / div) * 10) / 10} ${unit}`;
      }
      if (type === 'ms' || type === 'timespanMs') return `${Math.round(v)} ms`;
      return String(Math.round(v * 1000) / 1000);
    }
    return clip(v);
  }
  switch (v.type) {
    case 'node': {
      const bits = [];
      if (v.selector) bits.push(`selector \`${v.selector}\``);
      if (v.nodeLabel) bits.push(`label "${clip(v.nodeLabel, 80)}"`);
      if (v.snippet) bits.push(`snippet ${clip(v.snippet)}`);
      if (v.explanation) bits.push(`why: ${clip(v.explanation, 600)}`);
      return bits.join('; ');
    }
    case 'source-location':
      return `${v.url}:${(v.line ?? 0) + 1}:${(v.column ?? 0) + 1}`;
    case 'url':
      return v.value;
    case 'code':
      return clip(v.value);
    case 'link':
      return `${v.text} <${v.url}>`;
    case 'numeric':
      return String(v.value);
    case 'text':
      return clip(v.value);
    default:
      return clip(JSON.stringify(v), 200);
  }
}

function printItems(details, indent, max = MAX_ITEMS) {
  if (!details) return;
  if (details.type === 'list') {
    for (const sub of details.items ?? []) printItems(sub, indent, max);
    return;
  }
  if (details.type === 'checklist') {
    for (const [k, v] of Object.entries(details.items ?? {})) {
      console.log(`${indent}- ${k}: ${v.value ? 'ok' : 'FAIL'} (${v.label})`);
    }
    return;
  }
  if (details.type === 'node') {
    console.log(`${indent}- ${fmtValue(details)}`);
    return;
  }
  if (details.type !== 'table' && details.type !== 'opportunity') return;
  const headings = (details.headings ?? []).filter((h) => h.key);
  const items = details.items ?? [];
  for (const item of items.slice(0, max)) {
    const parts = [];
    for (const h of headings) {
      const s = fmtValue(item[h.key], h);
      if (s) parts.push(headings.length > 1 ? `${h.key}: ${s}` : s);
    }
    // Fields not in the headings but useful (e.g. the node of an a11y item).
    if (!headings.some((h) => h.key === 'node') && item.node) parts.push(fmtValue(item.node));
    console.log(`${indent}- ${parts.join(' | ')}`);
    const subs = item.subItems?.items ?? [];
    for (const sub of subs.slice(0, max)) {
      const sp = [];
      for (const h of headings) {
        const key = h.subItemsHeading?.key;
        if (!key) continue;
        const s = fmtValue(sub[key], h.subItemsHeading);
        if (s) sp.push(`${key}: ${s}`);
      }
      if (sp.length) console.log(`${indent}    · ${sp.join(' | ')}`);
    }
    if (subs.length > max) console.log(`${indent}    · … ${subs.length - max} more`);
  }
  if (items.length > max) console.log(`${indent}- … ${items.length - max} more`);
}

let anyFailing = false;
// Lighthouse's run warnings, once each, with the pages they came from.
const warned = new Map();
for (const {path, runs} of reports) {
  for (const w of new Set(runs.flatMap((r) => r.runWarnings ?? []))) {
    if (!warned.has(w)) warned.set(w, []);
    warned.get(w).push(path);
  }
}
for (const [w, paths] of warned) {
  console.log('');
  console.log(`Lighthouse warning (${paths.join(', ')}): ${clip(w, 400)}`);
}

for (const {path, runs, lhr} of reports) {
  // The page itself must not ask for anything off this server.
  const origin = new URL(lhr.finalDisplayedUrl || lhr.requestedUrl).origin;
  const foreign = (lhr.audits?.['network-requests']?.details?.items ?? [])
    .map((it) => it.url)
    .filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== origin);
  for (const u of [...new Set(foreign)]) {
    console.log(`${path}: warning: the page requested ${u} (not ${origin})`);
    bad = true;
  }
  for (const id of CATEGORIES) {
    // Details come from the median run; for the categories that should not
    // depend on timing (all but performance), a lower score in any other run
    // is shown from that run instead, so a flaky failure is not hidden.
    let src = lhr;
    let label = runs.length > 1 ? ' (median run)' : '';
    if (id !== 'performance' && lhr.categories?.[id]?.score === 1) {
      const worst = runs.reduce((w, r) => ((r.categories?.[id]?.score ?? 1) < (w.categories?.[id]?.score ?? 1) ? r : w), lhr);
      if (worst !== lhr) {
        src = worst;
        label = ` (run ${runs.indexOf(worst) + 1} of ${runs.length}; the median run scored 100)`;
      }
    }
    const cat = src.categories?.[id];
    if (!cat || cat.score === 1) continue;
    const failing = [];
    for (const ref of cat.auditRefs ?? []) {
      if (!(ref.weight > 0)) continue;
      const a = src.audits?.[ref.id];
      if (!a) continue;
      const scored = (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric') &&
        typeof a.score === 'number' && a.score < 1;
      if (scored || a.scoreDisplayMode === 'error') failing.push({ref, a});
    }
    anyFailing = true;
    console.log('');
    console.log(`${path} — ${cat.title} ${pct(cat) ?? '—'}${label}:`);
    if (failing.length === 0) console.log('  (no weighted binary/numeric audit under 1)');
    for (const {ref, a} of failing) {
      const sc = a.scoreDisplayMode === 'error' ? 'error' : `score ${Math.round(a.score * 100) / 100}`;
      const val = a.displayValue ? `, ${clip(a.displayValue, 120)}` : '';
      const num = a.scoreDisplayMode === 'numeric' && typeof a.numericValue === 'number' &&
        !a.displayValue ? `, value ${Math.round(a.numericValue * 1000) / 1000}${a.numericUnit ? ' ' + a.numericUnit : ''}` : '';
      console.log(`  ${a.id} — ${a.title} (${sc}, weight ${ref.weight}${val}${num})`);
      if (a.errorMessage) console.log(`    error: ${clip(a.errorMessage, 400)}`);
      if (a.explanation) console.log(`    ${clip(a.explanation, 600)}`);
      printItems(a.details, '    ');
      // Metrics carry no details of their own; show what explains them.
      for (const rel of RELATED[a.id] ?? []) {
        const r = src.audits?.[rel];
        if (!r?.details?.items?.length) continue;
        console.log(`    ${rel} — ${r.title}${r.displayValue ? ` (${clip(r.displayValue, 120)})` : ''}:`);
        printItems(r.details, '      ', 6);
      }
    }
  }
  if (runs.some((r) => CATEGORIES.some((id) => r.categories?.[id] && r.categories[id].score !== 1))) anyFailing = true;
}
// Audits outside every category's weighted set that still found something
// (cache lifetimes, render-blocking CSS, image sizes…): hints, not points.
// LH_DIAGNOSTICS=0 hides them.
if (process.env.LH_DIAGNOSTICS !== '0') {
  for (const {path, lhr} of reports) {
    const weighted = new Set();
    for (const cat of Object.values(lhr.categories ?? {})) {
      for (const ref of cat.auditRefs ?? []) if (ref.weight > 0) weighted.add(ref.id);
    }
    const hints = Object.values(lhr.audits ?? {}).filter((a) =>
      (!weighted.has(a.id) && typeof a.score === 'number' && a.score < 1 &&
        ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode) &&
        !(a.details?.type === 'list' && (a.details.items ?? []).every((it) => it.type === 'list-section'))) ||
      // Any layout shift at all, even one too small to cost points.
      (a.id === 'layout-shifts' && (a.details?.items ?? []).length > 0));
    // Lighthouse 12 reports several findings twice, as an audit and as an
    // "insight"; keep the audit.
    const ids = new Set(hints.map((a) => a.id));
    const DUPES = {
      'cache-insight': ['uses-long-cache-ttl'],
      'render-blocking-insight': ['render-blocking-resources'],
      'image-delivery-insight': ['modern-image-formats', 'uses-responsive-images', 'uses-optimized-images'],
      'document-latency-insight': ['server-response-time', 'uses-text-compression', 'redirects'],
      'font-display-insight': ['font-display'],
      'cls-culprits-insight': ['layout-shifts'],
    };
    const shown = hints.filter((a) => !(DUPES[a.id] ?? []).some((d) => ids.has(d)));
    if (!shown.length) continue;
    console.log('');
    console.log(`${path} — diagnostics (do not affect the scores):`);
    for (const a of shown) {
      console.log(`  ${a.id} — ${a.title}${a.displayValue ? ` (${clip(a.displayValue, 120)})` : ''}`);
      printItems(a.details, '    ', 5);
    }
  }
}

if (!anyFailing && reports.length) {
  console.log('');
  console.log(`Every category scored 100 on every page${nRuns > 1 ? ', in every run' : ''}.`);
}

process.exit(bad ? 1 : 0);
