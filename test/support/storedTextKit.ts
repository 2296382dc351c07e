// Test support: events as payops stored them before and after migration 210 (the whole
// CloudEvent text, or the text without what the columns hold), from PaySim and the simulator.
import fs from 'node:fs';
import path from 'node:path';
import { decodeMessage } from '../../shared/events/decode';
import { parsePaysimCsv, paysimToEvents } from '../../electron/core/sim/paysimMapping';
import type { Database } from 'better-sqlite3';
import { CounterRepository } from '../../electron/core/store/counterRepository';
import { EventRepository } from '../../electron/core/store/eventRepository';
import { EventWriter, type IncomingMessage } from '../../electron/core/store/eventWriter';
import { QuarantineRepository } from '../../electron/core/store/quarantineRepository';
import { RollupRepository } from '../../electron/core/store/rollupRepository';
import { paymentEvent, riskEvent } from '../../bench/events';
import { wholeEventText } from './wholeEventText';

const PAYSIM_CSV = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'paysim-10k.csv');

export function incoming(ce: object, arrivalMs: number): IncomingMessage {
  const raw = { body: Buffer.from(JSON.stringify(ce)), arrivalMs, routingKey: null };
  return { raw, result: decodeMessage(raw) };
}

/**
 * This version's writer for a database migrated only up to 200 or 210, as the stored-text tests
 * make: without segment rollups, which it writes into migration 240's coded tables (not there
 * yet). The stored text is what those tests are about.
 */
export function writerBefore240(db: Database): EventWriter {
  return new EventWriter(db, {
    events: new EventRepository(db),
    quarantine: new QuarantineRepository(db),
    rollups: new RollupRepository(db),
    counters: new CounterRepository(db),
    segments: null,
  });
}

/** As the writer stored it before migration 210: the whole text in event_log.json. */
export function asBefore(m: IncomingMessage): IncomingMessage {
  if (!m.result.ok) return m;
  const e = m.result.event;
  return { ...m, result: { ok: true, event: { ...e, json: wholeEventText(e, e.timeMs ?? m.raw.arrivalMs) } } };
}

// The PaySim part is the same on every call (the mapping is deterministic): parsed and mapped
// once per test file, as the 10k-row CSV costs most of a call; each call gets its own copies.
let paysimEvents: Record<string, unknown>[] | undefined;
function firstPaysimEvents(): Record<string, unknown>[] {
  paysimEvents ??= paysimToEvents(parsePaysimCsv(fs.readFileSync(PAYSIM_CSV, 'utf8'))).slice(0, 400) as unknown as Record<string, unknown>[];
  return structuredClone(paysimEvents);
}

/** PaySim's events, and the simulator's with every payment dimension, a decline code and a BIN. */
export function sentEvents(): Record<string, unknown>[] {
  const paysim = firstPaysimEvents();
  const dims = { issuer: 'tamarind-card', scheme: 'visa', acquirer: 'acq-1', mcc: '5411', threeDS: 'frictionless', attempt: 2 };
  const sim = Array.from({ length: 100 }, (_, i) => [
    paymentEvent('payment.declined', { time: new Date(Date.UTC(2026, 10, 2, 1, 0, i)).toISOString() }, { ...dims, cardBin: '529412', declineCode: '91', amount: 1234, currency: 'KWD' }),
    // A time spelled with an offset, and a subject that is not the payment id: both kept in the text.
    paymentEvent('payment.authorized', { time: '2026-11-02T03:00:00+02:00', subject: `order-${i}` }, { amount: 500, currency: 'JPY' }),
    riskEvent('risk.blocked', { time: new Date(Date.UTC(2026, 10, 2, 1, 1, i)).toISOString() }),
    { specversion: '1.0', id: `other-${i}`, source: 'x/y', type: 'com.example.other', datacontenttype: 'text/plain', data: 'hello' },
    // Before 1970: kept in the text (the view's SQL spells non-negative times only).
    paymentEvent('payment.captured', { time: new Date(-86_400_000 * (i + 1) - 123).toISOString() }, { amount: 7, currency: 'BHD' }),
  ]).flat() as Record<string, unknown>[];
  return [...paysim, ...sim];
}
