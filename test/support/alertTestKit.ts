// Test-only helpers: rules from partial input, and synthetic event streams on a fixed
// event-time axis (no wall clock anywhere).
import { parseRules, type AlertRule, type AlertRuleInput } from '../../shared/alertRules';
import type { AlertInputEvent } from '../../electron/core/alerts/eventCounters';

/** 2026-11-23T06:00:00Z, a whole minute: ticks fall on round seconds from here. */
export const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
export const sec = (s: number) => T0 + s * 1000;

export function rule(input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'metric'>): AlertRule {
  return parseRules([{ name: 'r', description: 'test rule', severity: 'warning', window: '1m', ...input }])[0];
}

export function ev(type: string, atMs: number, extra: Partial<AlertInputEvent> = {}): AlertInputEvent {
  return { type, timeMs: atMs, merchantId: 'm_1', country: 'DE', ...extra };
}

export interface TrafficSpec {
  fromSec: number;
  toSec: number;
  /** Events per second (spread evenly within the second). */
  perSecond: number;
  /** Event type of the i-th event of second s. */
  typeAt: (s: number, i: number) => string;
  extra?: (s: number, i: number) => Partial<AlertInputEvent>;
}

export function traffic(spec: TrafficSpec): AlertInputEvent[] {
  const out: AlertInputEvent[] = [];
  for (let s = spec.fromSec; s < spec.toSec; s++) {
    for (let i = 0; i < spec.perSecond; i++) {
      out.push(ev(spec.typeAt(s, i), sec(s) + Math.floor((i * 1000) / spec.perSecond), spec.extra?.(s, i)));
    }
  }
  return out;
}

/** Authorization outcomes where `declinePct(s)` percent of each second's attempts decline. */
export function payments(fromSec: number, toSec: number, perSecond: number, declinePct: (s: number) => number, extra?: TrafficSpec['extra']) {
  return traffic({
    fromSec,
    toSec,
    perSecond,
    typeAt: (s, i) => (i < Math.round((declinePct(s) / 100) * perSecond) ? 'payment.declined' : 'payment.authorized'),
    extra,
  });
}
