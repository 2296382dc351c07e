// Thread: the engine thread (the dead-letter service's dry run) or the CLI process.
// A dry run's sandbox session: the selected dead letters go through the console's own ingest
// path (decode, the pipeline, one ingest transaction) into a throwaway database (a temp file,
// deleted afterwards), and the session's alert rules are evaluated on what it stored with the
// backtest's evaluator. What is already in the console's database counts as a duplicate, as
// ingest would count it, without touching that database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AlertRule } from '../../../shared/alertRules';
import type { DeadLetterSandboxReport } from '../../../shared/deadLetters';
import { decodeAsConsumed } from '../broker/bodyEncoding';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { Backtester } from '../alerts/backtest';
import { deadLetterId, type DeadLetterInput } from '../broker/deadLetterMessage';
import { IngestPipeline } from '../ingest/ingestPipeline';
import { conflictReason, type BatchOutcome } from '../store/eventWriter';
import { openStore, type ReadStore } from '../store/store';

export interface SandboxOptions {
  /** The session's current alert rules. */
  rules: readonly AlertRule[];
  /** The console's database: an event it holds would be a duplicate (or, with another body, quarantined). null: none to compare with. */
  stored: Pick<ReadStore['events'], 'heldAs'> | null;
  /** Where the throwaway database goes (the OS temp folder by default). */
  tempDir?: string;
  /** Arrival time given to the replayed messages (now by default). */
  arrivalMs?: number;
  maxBodyBytes?: number;
}

export function replayIntoSandbox(inputs: readonly DeadLetterInput[], options: SandboxOptions): DeadLetterSandboxReport {
  const arrivalMs = options.arrivalMs ?? Date.now();
  const report: DeadLetterSandboxReport = {
    messages: inputs.length,
    stored: 0,
    storedByType: {},
    duplicates: 0,
    duplicateIds: [],
    quarantined: [],
    rules: options.rules.length,
    alerts: [],
  };
  const dir = fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'payops-dead-letter-sandbox-'));
  try {
    const sandbox = openStore(path.join(dir, 'sandbox.db'), { durability: 'normal' });
    try {
      const outcomes: BatchOutcome[] = [];
      const pipeline = new IngestPipeline(sandbox.ingest, { batchSize: inputs.length + 1, flushMs: 60_000, maxBodyBytes: options.maxBodyBytes, onCommitted: (o) => outcomes.push(o) });
      // What went into the sandbox, by position (its origin there): the ingest transaction
      // refuses some that decoded (a conflicting copy, an unpaired surrogate, a key no rollup
      // can name), so what it quarantined is read back from the sandbox, not guessed here.
      const pushed: { id: string; identity: string | null; at: number }[] = [];
      // Quarantined, with the position in the selection they are listed by.
      const refused: { at: number; id: string; reason: string }[] = [];
      for (const input of inputs) {
        const sent: RawMessage = { body: input.body, headers: input.headers ?? undefined, contentType: input.contentType ?? undefined, routingKey: input.routingKey, arrivalMs };
        // As the consumer reads it: a gzip or deflate body decompressed.
        const { raw, decoded } = decodeAsConsumed(sent, input.contentEncoding, options.maxBodyBytes);
        const id = deadLetterId(input, decoded.ok ? decoded.event.id : null);
        const identity = decoded.ok ? `${decoded.event.source}\u0000${decoded.event.id}` : null;
        const held = decoded.ok ? options.stored?.heldAs(decoded.event) ?? 'absent' : 'absent';
        if (held === 'duplicate') {
          // Ingest would count it and store nothing (stored once, by source and id).
          report.duplicates++;
          report.duplicateIds.push(id);
          continue;
        }
        if (held === 'conflict' && decoded.ok) {
          // Another body under an identity the console holds: ingest keeps its copy and quarantines this one.
          refused.push({ at: pushed.length + refused.length, id, reason: conflictReason(decoded.event) });
          continue;
        }
        pipeline.push({ raw, decoded, origin: String(pushed.length) });
        pushed.push({ id, identity, at: pushed.length + refused.length });
      }
      pipeline.flush();
      pipeline.close();
      const quarantined = new Set<number>();
      for (const q of sandbox.quarantine.page({ order: 'asc' }, pushed.length, 0)) {
        const p = pushed[Number(q.origin)];
        quarantined.add(Number(q.origin));
        refused.push({ at: p.at, id: p.id, reason: q.reason });
      }
      report.quarantined = refused.sort((x, y) => x.at - y.at).map(({ id, reason }) => ({ id, reason }));
      // Of the copies of one (source, id) that were not refused, the first is stored, the others are duplicates.
      const first = new Set<string>();
      pushed.forEach((p, at) => {
        if (quarantined.has(at) || p.identity === null) return;
        if (!first.has(p.identity)) first.add(p.identity);
        else {
          report.duplicates++;
          report.duplicateIds.push(p.id);
        }
      });
      const inserted = outcomes.flatMap((o) => o.inserted);
      report.stored = inserted.length;
      for (const e of inserted) report.storedByType[e.type] = (report.storedByType[e.type] ?? 0) + 1;
      // Evaluated up to one evaluation interval past the newest event: the tick the live
      // evaluator would run next (the selection alone, in event time, as a backtest does).
      const backtester = new Backtester(options.rules, { endMs: sandboxEvaluationEnd(inserted) });
      backtester.feedEvents(inserted);
      report.alerts = backtester.finish().alerts.map((a) => ({ rule: a.rule, severity: a.severity, group: a.group, summary: a.summary, firedAt: a.firedAt }));
    } finally {
      sandbox.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** The live evaluator's tick interval (alertEvaluator.ts): the sandbox evaluates one past the newest event. */
const EVALUATION_INTERVAL_MS = 10_000;

export function sandboxEvaluationEnd(events: readonly { timeMs: number | null }[]): number | undefined {
  let newest: number | undefined;
  for (const e of events) if (e.timeMs !== null && (newest === undefined || e.timeMs > newest)) newest = e.timeMs;
  return newest === undefined ? undefined : newest + EVALUATION_INTERVAL_MS;
}
