// Test-only: payments stored into a running engine session and fed to its alerting as ingest
// does (no broker), for tests that drive a composed session's rules and routing.
import type { EngineSession } from '../../electron/core/engine/composeEngine';
import type { IncomingMessage } from '../../electron/core/store/eventWriter';

let n = 0;

/** Stores `seconds` of payments for merchant m_1 ending at `endMs`, `perSecond` a second, `declinePct` % of each second declined. */
export function storePayments(engine: EngineSession['engine'], seconds: number, declinePct: number, options: { perSecond?: number; endMs?: number } = {}): void {
  const perSecond = options.perSecond ?? 20;
  const endMs = options.endMs ?? Date.now();
  const items: IncomingMessage[] = [];
  for (let s = seconds; s > 0; s--) {
    for (let i = 0; i < perSecond; i++) {
      const t = endMs - s * 1000 + Math.floor((i * 1000) / perSecond);
      const type = i < (declinePct / 100) * perSecond ? 'payment.declined' : 'payment.authorized';
      const id = `e${n++}`;
      const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
      items.push({ raw: { body: new Uint8Array(), arrivalMs: t + 5 }, result: { ok: true, event } });
    }
  }
  engine.onCommitted(engine.store.ingest.commit(items));
}

/** A rules-file entry (YAML, under `rules:`) firing at once when more than `above` of a 5 s window is declined. */
export function declineRateRule(name: string, above: string, description = `More than ${above} of authorizations declined.`): string {
  return `
  - name: ${name}
    description: ${description}
    severity: critical
    metric: decline_rate
    condition: { above: ${above} }
    window: 5s
    for: 0s
    keepFiringFor: 0s
    minVolume: 10
    noDataState: normal
`;
}
