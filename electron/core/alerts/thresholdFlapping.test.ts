// A failure rate that sits just above authorization-failure-rate's 5 % (a processor degraded
// for hours) is one incident. Without a recovery level the 5-minute rate's noise crossed the
// threshold back and forth, and the rule resolved and paged again 4 times in 3 hours. The same
// for issuer-down's 30 % approval.
import { describe, expect, it } from 'vitest';
import { createRng } from '../sim/prng';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOURS = 3;

/** 20 attempts a second for HOURS, `failedPct` % of them failed and 5 % declined, drawn from a seeded generator. */
function* steadyFailures(failedPct: number): Generator<AlertInputEvent> {
  const rng = createRng(1);
  for (let s = 0; s < HOURS * 3600; s++) {
    for (let i = 0; i < 20; i++) {
      const x = rng.float();
      const type = x < failedPct / 100 ? 'payment.failed' : x < failedPct / 100 + 0.05 ? 'payment.declined' : 'payment.authorized';
      yield { type, timeMs: START + s * 1000 + i * 50, merchantId: `m_${i % 7}`, country: 'DE' };
    }
  }
}

/** 20 attempts a second for HOURS over five issuers: issuer i0 approves `approvedPct` %, the others 95 %. */
function* oneIssuerAt(approvedPct: number): Generator<AlertInputEvent> {
  const rng = createRng(1);
  for (let s = 0; s < HOURS * 3600; s++) {
    for (let i = 0; i < 20; i++) {
      const issuer = `i${i % 5}`;
      const ok = rng.float() < (issuer === 'i0' ? approvedPct : 95) / 100;
      yield { type: ok ? 'payment.authorized' : 'payment.declined', timeMs: START + s * 1000 + i * 50, merchantId: `m_${i % 7}`, country: 'DE', dimensions: { issuer, scheme: null, acquirer: null, mcc: null, threeDS: null, attempt: null } };
    }
  }
}

describe('a failure rate hovering at the threshold', () => {
  it('5.3 % failed for 3 hours is one authorization-failure-rate alert, not one per crossing', () => {
    const r = backtest(DEFAULT_RULES, steadyFailures(5.3), { endMs: START + HOURS * 3600_000 });
    const pages = r.notifications.filter((n) => n.rule === 'authorization-failure-rate').map((n) => n.kind);
    expect(pages).toEqual(['firing']);
  });
});

describe('an issuer approving near issuer-down\'s 30 %', () => {
  it('an issuer approving 28 % for 3 hours is one issuer-down alert (it paged 4 times without a recovery level)', () => {
    const r = backtest(DEFAULT_RULES, oneIssuerAt(28), { endMs: START + HOURS * 3600_000 });
    const pages = r.notifications.filter((n) => n.rule === 'issuer-down').map((n) => `${n.kind} ${n.labels.issuer}`);
    expect(pages).toEqual(['firing i0']);
  });
});
