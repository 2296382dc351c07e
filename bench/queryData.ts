// Builds the query benchmark's database: N realistic events (payments with their risk
// scores, authorizations or declines, captures, a few refunds, failures and chargebacks),
// written straight into SQLite in big transactions with the rollups, then indexed. Cached in
// the OS temp directory by size and version, so a second run starts at once.
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../electron/core/store/database';
import { eventIdentity } from '../electron/core/store/eventIdentity';
import { EventRepository } from '../electron/core/store/eventRepository';
import { MerchantIndex } from '../electron/core/store/merchantIndex';
import { PaymentIndex } from '../electron/core/store/paymentIndex';
import { RollupRepository } from '../electron/core/store/rollupRepository';
import { CodeCatalogue } from '../electron/core/store/codeCatalogue';
import { compactEnvelope, withSourceCode } from '../shared/events/storedEnvelope';

export const BENCH_DATA_VERSION = 9; // 5: the event log of migration 120; 6: its stored text (migration 210); 7: codes for rollups, segments and sources (230-250); 8: the identity index (270); 9: the merchant index (280)
export const DAY_MS = 86_400_000;

export interface BenchDataInfo {
  file: string;
  events: number;
  fromMs: number;
  toMs: number;
  days: number;
  built: boolean;
  buildMs: number;
  /** A few values that exist, for the filters. */
  samplePaymentId: string;
  sampleEventId: string;
}

/** Small seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES: [string, number][] = [
  ['DE', 22], ['FR', 14], ['GB', 13], ['US', 10], ['NL', 6], ['ES', 6], ['IT', 6], ['PL', 4], ['SE', 3], ['BE', 3],
  ['AT', 2], ['CH', 2], ['IE', 2], ['DK', 1.5], ['FI', 1], ['PT', 1], ['CZ', 1], ['NO', 1], ['RO', 0.5], ['GR', 0.5], ['BR', 0.3], ['NG', 0.1],
];
const CURRENCY: Record<string, string> = { GB: 'GBP', US: 'USD', PL: 'PLN', SE: 'SEK', CH: 'CHF', DK: 'DKK', NO: 'NOK', CZ: 'CZK', RO: 'RON', BR: 'BRL', NG: 'NGN' };
const DECLINES: [string, number][] = [['51', 40], ['05', 25], ['14', 8], ['54', 7], ['61', 6], ['65', 5], ['91', 4], ['57', 3], ['62', 1.5], ['59', 0.5]];
const METHODS: [string, number][] = [['card', 80], ['wallet', 12], ['bank_transfer', 8]];
const MERCHANTS = 2000;
const BINS = 600;

function weighted<T>(items: [T, number][], rnd: () => number): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cum = items.map((_item, i) => items.slice(0, i + 1).reduce((s, [, x]) => s + x, 0) / total);
  return () => {
    const r = rnd();
    for (let i = 0; i < cum.length; i++) if (r < cum[i]) return items[i][0];
    return items[items.length - 1][0];
  };
}

export function benchDbFile(events: number): string {
  return path.join(os.tmpdir(), `payops-bench-query-${events}-v${BENCH_DATA_VERSION}.db`);
}

function readInfo(db: Database, file: string): BenchDataInfo | null {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'bench_query'").get() as { value: string } | undefined;
  return row ? { ...(JSON.parse(row.value) as BenchDataInfo), file, built: false, buildMs: 0 } : null;
}

export function ensureBenchData(events: number, log: (line: string) => void): BenchDataInfo {
  const file = benchDbFile(events);
  if (fs.existsSync(file)) {
    const db = openDatabase(file);
    const info = readInfo(db, file);
    db.close();
    if (info) return info;
    log(`incomplete benchmark database ${file}: rebuilding`);
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const started = Date.now();
  const db = openDatabase(file, { durability: 'normal' });
  // Bulk load: the indexes are dropped and rebuilt at the end (a sort, much faster than
  // 10 million random inserts into five B-trees), exactly as migration 001 declares them.
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_log' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
  const paymentIndex = new PaymentIndex(db);
  paymentIndex.defer();
  const merchantIndex = new MerchantIndex(db);
  merchantIndex.defer();
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');

  const rnd = prng(20261123);
  const country = weighted(COUNTRIES, rnd);
  const decline = weighted(DECLINES, rnd);
  const method = weighted(METHODS, rnd);
  // Zipf-like merchant popularity: a few big merchants, a long tail.
  const merchantCum: number[] = [];
  let acc = 0;
  for (let i = 1; i <= MERCHANTS; i++) merchantCum.push((acc += 1 / i ** 0.9));
  const merchant = () => {
    const r = rnd() * acc;
    let lo = 0;
    let hi = MERCHANTS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (merchantCum[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return `m_${1000 + lo}`;
  };
  const bins = Array.from({ length: BINS }, (_, i) => String(400000 + Math.floor(prng(i + 1)() * 199999) + (i % 2 ? 110000 : 0)));
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += ((rnd() * 16) | 0).toString(16);
    return s;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[(rnd() * 4) | 0]}${hex(3)}-${hex(12)}`;

  // Time span: about 1.45 million events a day (a mid-size PSP), with a daily cycle.
  const days = Math.max(1, Math.round(events / 1_450_000));
  const toMs = Date.UTC(2026, 10, 23, 0, 0, 0);
  const fromMs = toMs - days * DAY_MS;
  // A payment gives about 3.85 events; plan a few more payments than needed and stop at N.
  const eventsPerPayment = 3.7;
  const payments = Math.ceil(events / eventsPerPayment);
  const meanGap = (days * DAY_MS) / payments;

  const insert = db.prepare(
    `INSERT INTO event_log (seq, ident, time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency, country, card_bin,
       decline_code, score, decision, routing_key, json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The routing key is the type (stored as the integer 0, as EventRepository does).
  const routingKeyIsType = BigInt(0);
  // Each source coded once, as ingest codes it (migration 250): the texts hold the code.
  const sourceCodes = CodeCatalogue.sourceCodes(db);
  for (const source of ['psp/gateway', 'risk/engine', 'psp/authorizer', 'psp/settlement']) sourceCodes.codeOf(source);
  const secondRollups = new RollupRepository(db);
  const depth = db.prepare('INSERT OR REPLACE INTO queue_depth (at_ms, queue, messages, consumers) VALUES (?, ?, ?, ?)');
  const rollups = new Map<string, [number, string, string, number, number]>();
  const roll = (timeMs: number, dim: string, key: string, amount: number) => {
    const sec = Math.floor(timeMs / 1000);
    const k = `${sec}|${dim}|${key}`;
    const c = rollups.get(k);
    if (c) {
      c[3] += 1;
      c[4] += amount;
    }
    else rollups.set(k, [sec, dim, key, 1, amount]);
  };
  const flushRollups = () => {
    secondRollups.addAll(Array.from(rollups.values(), ([sec, dim, key, count, amount]) => ({ sec, dim, key, count, amount })));
    rollups.clear();
  };

  let seq = 0;
  let samplePaymentId = '';
  let sampleEventId = '';
  // Pending events of payments in flight, emitted in time order (a small heap would do; the
  // steps are at most minutes apart, so a sorted buffer flushed behind the clock is enough).
  type Ev = { t: number; type: string; cat: string; source: string; pay: string; m: string; amount: number; cur: string; c: string; meth: string; bin: string; lat: number | null; code: string | null; score: number | null; decision: string | null; cust: string };
  let buffer: Ev[] = [];
  const emit = (e: Ev) => {
    seq += 1;
    const id = uuid();
    if (seq === Math.floor(events / 2)) {
      samplePaymentId = e.pay;
      sampleEventId = id;
    }
    const data: Record<string, unknown> =
      e.cat === 'risk'
        ? { paymentId: e.pay, merchantId: e.m, score: e.score, decision: e.decision, rules: e.decision === 'approve' ? [] : ['velocity_1h', 'bin_country_mismatch'], reasons: e.decision === 'approve' ? [] : ['unusual velocity'] }
        : {
            paymentId: e.pay, merchantId: e.m, amount: e.amount, currency: e.cur, method: e.meth, country: e.c,
            ...(e.meth === 'card' ? { cardBin: e.bin } : {}), ...(e.lat !== null ? { latencyMs: e.lat } : {}),
            ...(e.code ? { declineCode: e.code } : {}), customerId: e.cust,
          };
    const ce = { specversion: '1.0', id, source: e.source, type: e.type, time: new Date(e.t).toISOString(), subject: e.pay, datacontenttype: 'application/json', data };
    const arrival = e.t + 5 + ((rnd() * 40) | 0);
    const columns = {
      type: e.type, timeMs: e.t, paymentId: e.pay, merchantId: e.m,
      amount: e.cat === 'risk' ? null : e.amount, currency: e.cat === 'risk' ? null : e.cur, country: e.cat === 'risk' ? null : e.c,
      cardBin: e.cat === 'risk' || e.meth !== 'card' ? null : e.bin, declineCode: e.code, score: e.score, decision: e.decision,
    };
    insert.run(
      seq, eventIdentity(e.source, id), e.t, arrival, e.type, e.m, e.pay, columns.amount, columns.currency, columns.country,
      columns.cardBin, e.code, e.score, e.decision, routingKeyIsType, withSourceCode(compactEnvelope(ce, columns), sourceCodes.codeOf(e.source)),
    );
    roll(e.t, 'type', e.type, 0);
    if (e.type === 'payment.authorized') roll(e.t, 'authorized', e.cur, e.amount);
    else if (e.type === 'payment.declined') roll(e.t, 'decline', e.code ?? 'unknown', 0);
    else if (e.type === 'payment.failed') roll(e.t, 'failed', e.cur, e.amount);
    else if (e.type === 'risk.scored') roll(e.t, 'decision', e.decision ?? 'unknown', e.score ?? 0); // as eventWriter: one per scoring
  };

  let t = fromMs;
  let nextDepth = fromMs;
  let batch = 0;
  db.exec('BEGIN');
  for (let p = 0; p < payments && seq < events; p++) {
    // Daily cycle: twice the mean rate in the afternoon, half at night.
    const hour = ((t - fromMs) % DAY_MS) / 3_600_000;
    const rate = 1 + 0.6 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    t += Math.max(0, Math.round((-Math.log(1 - rnd()) * meanGap) / rate));
    const pay = `pay_${p.toString(36).padStart(7, '0')}`;
    const c = country();
    const m = merchant();
    const base = { pay, m, c, cur: CURRENCY[c] ?? 'EUR', meth: method(), bin: bins[(rnd() * rnd() * BINS) | 0], amount: Math.round(Math.exp(7 + rnd() * 3.5)), cust: `cus_${((rnd() * 3_000_000) | 0).toString(36)}` };
    const e0: Ev = { ...base, t, type: 'payment.initiated', cat: 'payment', source: 'psp/gateway', lat: null, code: null, score: null, decision: null };
    // Most payments score low; a few percent look risky (about 0.6% blocked, 1.5% reviewed).
    const score = rnd() < 0.03 ? 50 + Math.round(rnd() * 50) : Math.min(100, Math.round(-Math.log(1 - rnd()) * 10));
    const decision = score >= 90 ? 'block' : score >= 65 ? 'review' : 'approve';
    const t1 = t + 40 + ((rnd() * 200) | 0);
    const risk: Ev = { ...base, t: t1, type: decision === 'block' ? 'risk.blocked' : decision === 'review' ? 'risk.flagged' : 'risk.scored', cat: 'risk', source: 'risk/engine', lat: null, code: null, score, decision };
    buffer.push(e0, risk);
    if (decision !== 'block') {
      const t2 = t1 + 80 + ((rnd() * 600) | 0);
      const r = rnd();
      if (r < 0.012) buffer.push({ ...base, t: t2, type: 'payment.failed', cat: 'payment', source: 'psp/authorizer', lat: 3000, code: null, score: null, decision: null });
      else if (r < 0.1 + (decision === 'review' ? 0.2 : 0)) buffer.push({ ...base, t: t2, type: 'payment.declined', cat: 'payment', source: 'psp/authorizer', lat: 100 + ((rnd() * 400) | 0), code: decline(), score: null, decision: null });
      else {
        buffer.push({ ...base, t: t2, type: 'payment.authorized', cat: 'payment', source: 'psp/authorizer', lat: 100 + ((rnd() * 400) | 0), code: null, score: null, decision: null });
        if (rnd() < 0.93) {
          const t3 = t2 + 500 + ((rnd() * 30_000) | 0);
          buffer.push({ ...base, t: t3, type: 'payment.captured', cat: 'payment', source: 'psp/settlement', lat: null, code: null, score: null, decision: null });
          const r2 = rnd();
          if (r2 < 0.02) buffer.push({ ...base, t: t3 + 60_000 + ((rnd() * 60_000) | 0), type: 'payment.refunded', cat: 'payment', source: 'psp/settlement', lat: null, code: null, score: null, decision: null });
          else if (r2 < 0.022) buffer.push({ ...base, t: t3 + 90_000 + ((rnd() * 60_000) | 0), type: 'payment.chargeback', cat: 'payment', source: 'psp/disputes', lat: null, code: null, score: null, decision: null });
        }
      }
    }
    // Emit everything that can no longer be preceded by a later payment's events.
    if (buffer.length > 4096) {
      buffer.sort((a, b) => a.t - b.t);
      const cut = buffer.findIndex((e) => e.t > t);
      const ready = cut < 0 ? buffer : buffer.slice(0, cut);
      buffer = cut < 0 ? [] : buffer.slice(cut);
      for (const e of ready) {
        if (seq >= events) break;
        emit(e);
      }
    }
    while (nextDepth < t) {
      const backlog = Math.max(0, Math.round(50 + 40 * Math.sin(nextDepth / 3_600_000) + rnd() * 30));
      depth.run(nextDepth, 'payments.authorize', backlog, 4);
      depth.run(nextDepth, 'payments.capture', Math.round(backlog / 3), 2);
      nextDepth += 5000;
    }
    if (seq - batch >= 500_000) {
      batch = seq;
      flushRollups();
      db.exec('COMMIT');
      db.exec('BEGIN');
      log(`  ${seq.toLocaleString('en-US')} events written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  buffer.sort((a, b) => a.t - b.t);
  for (const e of buffer) {
    if (seq >= events) break;
    emit(e);
  }
  flushRollups();
  db.exec('COMMIT');
  log(`  ${seq.toLocaleString('en-US')} events written; building indexes`);
  for (const ix of indexes) {
    const s = Date.now();
    db.exec(ix.sql);
    log(`  index ${ix.name}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
  }
  const sealStarted = Date.now();
  paymentIndex.catchUp();
  log(`  payment index: ${((Date.now() - sealStarted) / 1000).toFixed(1)} s`);
  const merchantsStarted = Date.now();
  merchantIndex.catchUp();
  log(`  merchant index: ${((Date.now() - merchantsStarted) / 1000).toFixed(1)} s`);
  const identitiesStarted = Date.now();
  db.transaction(() => new EventRepository(db).sealIdentitiesIfDue())();
  log(`  identity index: ${((Date.now() - identitiesStarted) / 1000).toFixed(1)} s`);
  // No ANALYZE: a live database has no statistics either, so the plans measured are the real ones.
  const last = (db.prepare('SELECT MAX(time_ms) AS t FROM events').get() as { t: number }).t;
  const info: BenchDataInfo = {
    file,
    events: seq,
    fromMs,
    toMs: last + 1,
    days,
    built: true,
    buildMs: Date.now() - started,
    samplePaymentId,
    sampleEventId,
  };
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_query', ?)").run(JSON.stringify(info));
  db.pragma('journal_mode = WAL');
  db.close();
  return info;
}
