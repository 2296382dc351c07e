// Worker threads run their TypeScript sources under the tests: in a copy of electron/ and
// shared/ whose dist/ holds only stale workers that throw, the engine worker, the read worker
// and the broker consumer (real broker, a queue of its own) still start and answer, so nothing
// came from dist/ (and nothing ran in-thread instead).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology } from '../../../test/support/broker';
import { tempDir } from '../../../test/support/tempDir';
import { workerScript } from './workerScript';

const ROOT = path.resolve(__dirname, '../../..');

describe('workerScript', () => {
  it('gives the .ts source with the tsx loader to a .ts caller, the compiled .js otherwise', () => {
    const ts = workerScript('/app/core/host/engineHost.ts', '../engine/engineWorker');
    expect(ts.file).toBe('/app/core/engine/engineWorker.ts');
    expect(ts.options.execArgv?.[0]).toBe('--require');
    expect(ts.options.execArgv?.[1]).toBe(require.resolve('tsx/cjs'));
    const js = workerScript('/app/dist/core/host/engineHost.js', '../engine/engineWorker');
    expect(js).toEqual({ file: '/app/dist/core/engine/engineWorker.js', options: {} });
  });

  it('runs the engine, read and consumer workers from source when dist/ is stale', async () => {
    const copy = tempDir('payops-worker-source-');
    for (const d of ['electron', 'shared']) fs.cpSync(path.join(ROOT, d), path.join(copy, d), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.base.json']) fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    // The old fallback paths, poisoned: a worker loaded from here fails the start at once.
    for (const stale of ['engine/engineWorker.js', 'reader/readWorker.js', 'broker/consumerThread.js']) {
      const file = path.join(copy, 'dist/electron/core', stale);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `throw new Error('stale dist/${stale} was loaded');\n`);
    }
    fs.writeFileSync(
      path.join(copy, 'probe.ts'),
      `import path from 'node:path';
import { createConsoleBackend } from './electron/core/host/consoleBackend';
import { BrokerIntake } from './electron/core/broker/brokerIntake';
import { DEFAULT_BROKER } from './electron/core/broker/brokerConfig';
import { MemorySecretStore } from './electron/core/secrets/secretStore';

async function main(): Promise<void> {
  const dbFile = path.join(__dirname, 'live.db');
  const backend = await createConsoleBackend({ dbFile, secrets: new MemorySecretStore() });
  const rules = await backend.services.rules.get({});
  const from = Date.UTC(2026, 10, 5);
  const report = await backend.services.report.build({ from, to: from + 3_600_000, mask: false, marginMinutes: 15, maskFields: [] });
  await backend.close();
  const broker = { ...DEFAULT_BROKER, url: process.env.PROBE_AMQP_URL!, exchange: process.env.PROBE_EXCHANGE!, queue: process.env.PROBE_QUEUE!, initialRetries: 1 };
  const states: string[] = [];
  const intake = new BrokerIntake(broker, { onDelivery: () => undefined, onStatus: (s) => states.push(s.state), onQueueSamples: () => undefined, log: () => undefined });
  await intake.start();
  await intake.stop();
  console.log(JSON.stringify({ rulesFrom: rules.source, reportEvents: report.totals.events, consumer: states.includes('connected') }));
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`,
    );
    const topology = { exchange: `t.worker-source.${randomUUID().slice(0, 8)}.x`, queue: `t.worker-source.${randomUUID().slice(0, 8)}.q` };
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(copy, 'probe.ts')], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PROBE_AMQP_URL: AMQP_URL, PROBE_EXCHANGE: topology.exchange, PROBE_QUEUE: topology.queue },
    });
    await deleteTopology(topology);
    expect(r.stderr).not.toMatch(/stale dist/);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ rulesFrom: 'default', reportEvents: 0, consumer: true });
  });
});
