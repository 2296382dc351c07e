// The engine thread's cost of a replay's backward seek (engine/replayRefill.ts: the live windows
// emptied and filled from the store for the new clock), on a replay database made beforehand:
//   payops replay CAPTURE --speed max --db DB   (e.g. 20 minutes at 1,000 events/s)
//   node dist/bench/replaySeekRefill.js DB ISO [runs]
// prints one JSON line: the CPU time of each refill (user + system: on a shared machine the wall
// time says more about the other processes than about this), the median, and a hash of the live
// figures it gives (to compare two trees: the figures must not change when only the cost should).
import { createHash } from 'node:crypto';
import { LiveMetrics } from '../electron/core/metrics/liveMetrics';
import { ReplayRefill } from '../electron/core/engine/replayRefill';
import { openStore } from '../electron/core/store/store';

const [db, iso, runsArg = '10'] = process.argv.slice(2);
if (!db || !iso) throw new Error('usage: replaySeekRefill.js DB ISO-TIME [runs]');
const store = openStore(db);
const newest = store.events.newestTime();
if (newest === null) throw new Error(`${db} holds no events`);
const target = Date.parse(iso);
const cpuMs: number[] = [];
let figures = '';
for (let i = 0; i < Number(runsArg); i++) {
  // As the engine holds them at the end of a replay: the clock at the newest event, then back.
  const metrics = new LiveMetrics();
  metrics.watermark = newest;
  const refill = new ReplayRefill(store, metrics);
  refill.beforeRead(newest, newest);
  const start = process.cpuUsage();
  refill.beforeRead(target, target);
  const used = process.cpuUsage(start);
  cpuMs.push(Math.round((used.user + used.system) / 1000));
  figures = JSON.stringify(metrics.figures(target, true));
}
store.close();
const median = [...cpuMs].sort((a, b) => a - b)[cpuMs.length >> 1];
console.log(JSON.stringify({ cpuMs, medianCpuMs: median, figuresSha256: createHash('sha256').update(figures).digest('hex').slice(0, 16) }));
