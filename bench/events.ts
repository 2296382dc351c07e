// Valid payment and risk CloudEvents with unique ids, built by hand (not the simulator) so
// that a body's content is obvious from the call. The benchmarks publish them, and the
// tests use the same builders: one source, kept here because dist/bench must not depend
// on test code.
let counter = 0;

export function paymentEvent(type: string, overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  counter += 1;
  return {
    specversion: '1.0',
    id: `evt-${process.pid}-${Date.now()}-${counter}`,
    source: 'psp/authorizer',
    type,
    time: new Date(Date.UTC(2026, 10, 23, 5, 0, 0) + counter * 10).toISOString(),
    datacontenttype: 'application/json',
    data: {
      paymentId: `pay_${counter}`,
      merchantId: `m_${1000 + (counter % 7)}`,
      amount: 1000 + counter,
      currency: counter % 3 === 0 ? 'USD' : 'EUR',
      method: 'card',
      country: 'DE',
      cardBin: '424242',
      latencyMs: 120,
      ...(type === 'payment.declined' ? { declineCode: '51' } : {}),
      ...data,
    },
    ...overrides,
  };
}

export function riskEvent(type: string, overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  counter += 1;
  return {
    specversion: '1.0',
    id: `risk-${process.pid}-${Date.now()}-${counter}`,
    source: 'risk/engine',
    type,
    time: new Date(Date.UTC(2026, 10, 23, 5, 0, 0) + counter * 10).toISOString(),
    data: {
      paymentId: `pay_${counter}`,
      merchantId: `m_${1000 + (counter % 7)}`,
      score: type === 'risk.blocked' ? 95 : type === 'risk.flagged' ? 70 : 12,
      decision: type === 'risk.blocked' ? 'block' : type === 'risk.flagged' ? 'review' : 'approve',
      rules: ['velocity'],
      ...data,
    },
    ...overrides,
  };
}

