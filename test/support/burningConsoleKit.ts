// Test-only: a console backend (engine and read workers, as both hosts run it) on a live
// database that already holds minutes of payments burning a 97 % approval objective, one per
// test, closed after it. Requests go through dispatchApiRequest, as the hosts send them.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ApiArgs, ApiRequestName, ApiResults } from '../../shared/api';
import { dispatchApiRequest } from '../../shared/apiDispatch';
import type { ApiBackend } from '../../electron/core/host/apiBackend';
import { createConsoleBackend } from '../../electron/core/host/consoleBackend';
import { MemorySecretStore } from '../../electron/core/secrets/secretStore';
import type { IncomingMessage } from '../../electron/core/store/eventWriter';
import { openStore } from '../../electron/core/store/store';
import { tempDir } from './tempDir';

/**
 * Writes `minutes` of payments ending at `endMs` (now), half of them declined (a 16.7x burn of
 * a 97 % objective). Their ids start with `idPrefix` ("p"): a second call on the same database
 * gives another prefix, so its payments are not duplicates of the first's.
 */
export function storeBurningPayments(dbFile: string, minutes: number, options: { endMs?: number; idPrefix?: string } = {}): void {
  const store = openStore(dbFile);
  const end = options.endMs ?? Date.now();
  const prefix = options.idPrefix ?? 'p';
  const items: IncomingMessage[] = [];
  for (let s = minutes * 60; s > 0; s--) {
    for (let i = 0; i < 10; i++) {
      const t = end - s * 1000 + i * 100;
      const id = `${prefix}${s}_${i}`;
      const type = i % 2 ? 'payment.declined' : 'payment.authorized';
      const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
      items.push({ raw: { body: new Uint8Array(), arrivalMs: t + 5 }, result: { ok: true, event } });
    }
  }
  store.ingest.commit(items);
  store.close();
}

export interface BurningConsole {
  /** The test's own folder: live.db, and rules.yaml when the test gave rules. */
  dir: string;
  dbFile: string;
  backend: ApiBackend;
  /** What the backend logged, in order. */
  logs: string[];
  request<K extends ApiRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]>;
  /** Closes the backend now (also done after the test). */
  close(): Promise<void>;
}

/**
 * `open(name, rules?)` starts a console on <tmp>/<name>/live.db holding 7 minutes of the burn;
 * with `rules`, they are written to <tmp>/<name>/rules.yaml and given as the --rules file.
 */
export function burningConsoles(dirPrefix: string): (name: string, rules?: string) => Promise<BurningConsole> {
  const root = tempDir(dirPrefix);
  const open: BurningConsole[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  return async (name, rules) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    const dbFile = path.join(dir, 'live.db');
    let rulesFile: string | undefined;
    if (rules !== undefined) {
      rulesFile = path.join(dir, 'rules.yaml');
      fs.writeFileSync(rulesFile, rules);
    }
    storeBurningPayments(dbFile, 7);
    const logs: string[] = [];
    const backend = await createConsoleBackend({ dbFile, secrets: new MemorySecretStore(), rulesFile, log: (l) => logs.push(l) });
    let closed: Promise<void> | null = null;
    const c: BurningConsole = {
      dir,
      dbFile,
      backend,
      logs,
      request: (req, args) => dispatchApiRequest(backend.services, req, args) as Promise<ApiResults[typeof req]>,
      close: () => (closed ??= backend.close()),
    };
    open.push(c);
    return c;
  };
}
