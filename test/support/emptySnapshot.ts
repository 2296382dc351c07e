// Test fixture shared by the engine-side and renderer tests: a snapshot with nothing
// flowing, to which each test adds what it needs.
import type { EngineSnapshot } from '../../shared/metrics';

export function emptySnapshot(atMs: number, overrides: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return {
    at: atMs,
    clock: atMs,
    session: 'live',
    connection: { state: 'connected', url: null, since: 0, attempts: 0, lastError: null },
    status: { state: 'quiet', since: 0, lastReceivedAt: null, detail: null },
    lastEventAt: null,
    totals: { events: 0, duplicates: 0, quarantined: 0, unknownTypes: 0, byType: {} },
    rates: { total: { s1: 0, m1: 0, m5: 0 }, byType: {} },
    approvalRate: null,
    paymentApprovalRate: null,
    paymentsLastMinute: 0,
    declineRate: null,
    failureRate: null,
    failuresPerMin: 0,
    riskFlaggedPerMin: 0,
    riskBlockedPerMin: 0,
    riskFlaggedRate: null,
    riskBlockedRate: null,
    riskScoreP95: null,
    authorizedLastMinute: [],
    arrivalLagMs: { p50: null, p95: null },
    queues: [],
    throughputTail: [],
    queueDepthTail: [],
    ingest: { paused: false, reason: null, pendingBatch: 0 },
    replay: null,
    ...overrides,
  };
}
