// Benchmark data with real-world cardinality: the PaySim sample (../shared/data/paysim-10k.csv)
// mapped to events by the demo's own mapping (electron/core/sim/paysimMapping.ts: PaySim's
// merchant and customer ids, thousands of merchants), repeated until `n` events. Round k of
// the sample is squeezed into the k-th of `rounds` equal stretches of PaySim's month, so the
// capture stays in time order; event and payment ids get a ".r<k>" suffix so each round's
// events are new. Deterministic: the same n always gives the same file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parsePaysimCsv, paysimToEvents } from '../electron/core/sim/paysimMapping';
import { REPO, fmt } from './benchSupport';

const CAPTURE_VERSION = 1;
export const PAYSIM_CSV = process.env.PAYOPS_PAYSIM_CSV ?? path.join(REPO, '..', 'shared', 'data', 'paysim-10k.csv');

/** The capture of `n` PaySim-derived events (generated once into the OS temp folder). */
export async function ensurePaysimCapture(n: number): Promise<string> {
  const file = path.join(os.tmpdir(), `payops-bench-paysim-v${CAPTURE_VERSION}-${n}.ndjson`);
  if (fs.existsSync(file)) return file;
  const t0 = Date.now();
  const events = paysimToEvents(parsePaysimCsv(fs.readFileSync(PAYSIM_CSV, 'utf8')));
  const first = Date.parse(events[0].time);
  const span = Date.parse(events[events.length - 1].time) - first + 1;
  const rounds = Math.ceil(n / events.length);
  const tmp = `${file}.${process.pid}.tmp`;
  const out = fs.createWriteStream(tmp);
  let written = 0;
  for (let k = 0; k < rounds && written < n; k++) {
    const lines: string[] = [];
    for (const e of events) {
      if (written === n) break;
      const t = first + Math.floor((Date.parse(e.time) - first) / rounds) + Math.floor((k * span) / rounds);
      const data = e.data as Record<string, unknown>;
      const paymentId = `${String(data.paymentId)}.r${k}`;
      lines.push(JSON.stringify({ ...e, id: `${e.id}.r${k}`, time: new Date(t).toISOString(), subject: paymentId, data: { ...data, paymentId } }));
      written += 1;
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fs.renameSync(tmp, file);
  console.log(`generated ${file} (${fmt(fs.statSync(file).size / 1e6)} MB, ${fmt(written)} PaySim-derived events) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}
