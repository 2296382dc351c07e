// Test support for replay: small captures with known content, and the database figures
// that must come out identical however a capture is replayed.
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { alertHistoryJson } from '../../electron/core/alerts';
import { formatRecordedLine } from '../../electron/core/capture/captureLine';
import type { ScenarioName } from '../../electron/core/sim/scenarios';
import type { ScenarioTimings } from '../../electron/core/sim/scenarios';
import { createTrafficGenerator } from '../../electron/core/sim/trafficGenerator';
import type { StoreStats } from '../../electron/core/store/stats';
import { storeOn } from '../../electron/core/store/store';

export const KIT_START_MS = Date.UTC(2026, 10, 23, 5, 0, 0);

/**
 * `n` simulated events of `scenario` at `rate` per second of event time (plain CloudEvent lines), with,
 * when `extras`: two duplicates, a non-JSON line, an unknown type without time, a recorded-form
 * line (arrival, routing key, headers) and a recorded quarantined body.
 */
export function captureLines(
  n: number,
  rate: number,
  extras = true,
  seed = 7,
  scenario: ScenarioName = 'normal',
  timings?: Partial<ScenarioTimings>,
): string[] {
  const gen = createTrafficGenerator({ seed, scenario, startMs: KIT_START_MS, rate, timings });
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify(gen.next()));
  if (!extras) return lines;
  const at = (k: number) => Math.min(lines.length, k);
  lines.splice(at(5), 0, lines[1]); // duplicate
  lines.splice(at(9), 0, 'this is { not json');
  lines.splice(at(12), 0, JSON.stringify({ specversion: '1.0', id: 'u-1', source: 'ops/other', type: 'com.example.heartbeat' }));
  const recorded = JSON.parse(lines[at(20) - 1]) as { id: string; type: string };
  lines.splice(
    at(22),
    0,
    formatRecordedLine({
      body: Buffer.from(JSON.stringify({ ...recorded, id: `${recorded.id}-rec` })),
      arrivalMs: KIT_START_MS + 123_456,
      routingKey: recorded.type,
      headers: { 'x-trace': 'abc' },
      contentType: 'application/cloudevents+json',
    }),
  );
  lines.splice(
    at(30),
    0,
    formatRecordedLine(
      { body: Buffer.from('{"half":'), arrivalMs: KIT_START_MS + 2000, routingKey: 'payment.authorized', headers: null, contentType: null },
      { ok: false, reason: 'body is not JSON' },
    ),
  );
  lines.push(lines[3]); // a late duplicate
  return lines;
}

export function writeCapture(file: string, lines: string[], options: { gzip?: boolean; trailingNewline?: boolean } = {}): string {
  const text = lines.join('\n') + (options.trailingNewline === false ? '' : '\n');
  fs.writeFileSync(file, options.gzip ? gzipSync(text) : text);
  return file;
}

export interface DbFigures {
  stats: StoreStats;
  rollups: unknown[];
  events: unknown[];
  quarantine: unknown[];
  counters: unknown[];
}

/** Everything a replay stores that must not depend on speed or batching. */
export function dbFigures(dbFile: string): DbFigures {
  const db = new Database(dbFile, { readonly: true });
  try {
    return {
      stats: storeOn(db).stats(),
      rollups: db.prepare('SELECT sec, dim, key, count, amount FROM rollup_second ORDER BY sec, dim, key').all(),
      events: db
        .prepare(
          `SELECT source, id, type, category, time_ms, arrival_ms, subject, payment_id, merchant_id, amount, currency,
             country, method, card_bin, latency_ms, decline_code, score, decision, routing_key, json
           FROM events ORDER BY source, id`,
        )
        .all(),
      quarantine: db.prepare('SELECT arrival_ms, reason, routing_key, headers, content_type, hex(body) AS body, origin FROM quarantine ORDER BY seq').all(),
      counters: db.prepare('SELECT name, value FROM counters ORDER BY name').all(),
    };
  } finally {
    db.close();
  }
}

/** The alert history as JSON, when the alert tables exist (migration 010 registered); else null. */
export function alertHistoryOrNull(dbFile: string): unknown {
  const db = new Database(dbFile, { readonly: true });
  try {
    const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alert_instances'`).get();
    if (!has) return null;
    return alertHistoryJson(storeOn(db), { includeUnfired: true });
  } finally {
    db.close();
  }
}
