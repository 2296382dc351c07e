// bench:detection — does the default rule pack catch the incidents it exists for, fast, and
// stay quiet otherwise? Replays the labelled corpus (bench/detection/corpus.json, built by
// tools/build-detection-corpus.ts) through the default pack in event time and prints, per
// rule: recall, time to detect (p50, max) and false firings per 24 h of normal traffic,
// per rate. Goal: every incident within 3 minutes of onset (also after 4 minutes of
// traffic), zero critical false firings.
//
// Usage: npm run bench:detection            (the short default run, about two minutes)
//        PAYOPS_DETECTION_LONG=1 npm run bench:detection   (every case: 20-minute warm-ups,
//        2,000 attempts/s throughout, three seeds, 24 h of normal traffic at 20 attempts/s)
//        add --json for machine-readable output, --only <substring> to filter cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RULES } from '../electron/core/alerts';
import type { DetectionCase } from './detection/corpus';
import { scoreCase, type CaseScore } from './detection/score';

// Built to dist/bench/detection.js; run from source (tsx) it sits in bench/.
const REPO = path.basename(path.resolve(__dirname, '..')) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');
const CORPUS = path.join(REPO, 'bench', 'detection', 'corpus.json');
const PAYSIM_CSV = process.env.PAYOPS_PAYSIM_CSV ?? path.resolve(REPO, '..', 'shared', 'data', 'paysim-10k.csv');
const LONG = process.env.PAYOPS_DETECTION_LONG === '1';
const JSON_OUT = process.argv.includes('--json');
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? process.argv[onlyAt + 1] : null;
const GOAL_MS = 180_000;

const corpus = JSON.parse(readFileSync(CORPUS, 'utf8')) as { cases: DetectionCase[] };
const cases = corpus.cases.filter((c) => (LONG || c.inDefaultRun) && (!ONLY || c.id.includes(ONLY)));

const started = Date.now();
const scores: CaseScore[] = [];
for (const c of cases) {
  const t = Date.now();
  const s = scoreCase(c, DEFAULT_RULES, PAYSIM_CSV);
  scores.push(s);
  if (!JSON_OUT) {
    const missed = s.detections.filter((d) => !d.detected).length;
    const ttd = s.detections.map((d) => (d.timeToDetectMs === null ? 'missed' : `${Math.round(d.timeToDetectMs / 1000)}s`)).join(',');
    process.stderr.write(`${c.id}: ${s.events} events, ${ttd || 'normal'}${s.falseFirings.length ? `, FALSE: ${s.falseFirings.map((f) => f.rule).join(',')}` : ''}${missed ? ' MISSED' : ''} (${Date.now() - t} ms)\n`);
  }
}

const quantile = (xs: number[], q: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const rateOf = new Map(cases.map((c) => [c.id, c.attemptsPerSecond]));
const rows: { rule: string; severity: string; rate: number; incidents: number; detected: number; recall: number | null; p50s: number | null; maxs: number | null; withinGoal: number; falsePer24h: number; normalHours: number }[] = [];
for (const rule of DEFAULT_RULES) {
  for (const rate of [20, 200, 2000]) {
    const mine = scores.filter((s) => rateOf.get(s.caseId) === rate);
    const dets = mine.flatMap((s) => s.detections.filter((d) => d.rule === rule.name));
    const ttds = dets.filter((d) => d.detected).map((d) => d.timeToDetectMs!);
    const hours = mine.reduce((a, s) => a + s.normalHours, 0);
    const falses = mine.flatMap((s) => s.falseFirings.filter((f) => f.rule === rule.name)).length;
    rows.push({
      rule: rule.name,
      severity: rule.severity,
      rate,
      incidents: dets.length,
      detected: ttds.length,
      recall: dets.length ? ttds.length / dets.length : null,
      p50s: quantile(ttds, 0.5) === null ? null : quantile(ttds, 0.5)! / 1000,
      maxs: quantile(ttds, 1) === null ? null : quantile(ttds, 1)! / 1000,
      withinGoal: ttds.filter((t) => t <= GOAL_MS).length,
      falsePer24h: hours > 0 ? (falses / hours) * 24 : 0,
      normalHours: hours,
    });
  }
}
const criticalFalse = rows.filter((r) => r.severity === 'critical').reduce((a, r) => a + r.falsePer24h, 0);
const allIncidents = rows.reduce((a, r) => a + r.incidents, 0);
const inGoal = rows.reduce((a, r) => a + r.withinGoal, 0);
const verdict = { incidents: allIncidents, detectedWithin3m: inGoal, criticalFalsePer24h: criticalFalse, goalMet: inGoal === allIncidents && criticalFalse === 0 };

if (JSON_OUT) {
  console.log(JSON.stringify({ long: LONG, cases: cases.length, elapsedMs: Date.now() - started, rows, verdict, scores }, null, 2));
} else {
  const pad = (v: string, n: number) => v.padEnd(n);
  const fmt = (v: number | null, d = 0) => (v === null ? '-' : v.toFixed(d));
  console.log(`bench:detection (${LONG ? 'long' : 'default'} run): ${cases.length} cases, ${scores.reduce((a, s) => a + s.events, 0).toLocaleString('en-US')} events, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${pad('rule', 28)}${pad('sev', 10)}${pad('att/s', 7)}${pad('recall', 14)}${pad('TTD p50', 9)}${pad('TTD max', 9)}${pad('<=3m', 8)}${pad('false/24h', 11)}normal h`);
  for (const r of rows) {
    const recall = r.incidents ? `${fmt(r.recall! * 100)} % (${r.detected}/${r.incidents})` : '-';
    console.log(`${pad(r.rule, 28)}${pad(r.severity, 10)}${pad(String(r.rate), 7)}${pad(recall, 14)}${pad(r.p50s === null ? '-' : `${fmt(r.p50s)} s`, 9)}${pad(r.maxs === null ? '-' : `${fmt(r.maxs)} s`, 9)}${pad(r.incidents ? `${r.withinGoal}/${r.incidents}` : '-', 8)}${pad(fmt(r.falsePer24h, 1), 11)}${fmt(r.normalHours, 2)}`);
  }
  console.log(`goal: ${inGoal}/${allIncidents} incidents detected within 3 min of onset; critical false firings per 24 h: ${criticalFalse.toFixed(1)} -> ${verdict.goalMet ? 'MET' : 'NOT MET'}`);
}
process.exitCode = verdict.goalMet ? 0 : 1;
