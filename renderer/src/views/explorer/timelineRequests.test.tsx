// Panels that read on demand show the answer to the question last asked: a payment's timeline
// and the alert history (react-dom/server over the request states the panels step through).
// Before: the timeline kept the first failure's error for every payment opened after it (its
// error was never cleared), and the history showed the rows of the filter before under a new
// filter that failed, said "Loading…" forever beside a first read's error, and let a slow older
// read replace a newer one.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../../shared/alerts';
import type { PaymentTimeline, TimelineStep } from '../../../../shared/explorer';
import { REQUEST_IDLE, requestPending, requestStep, type RequestEvent, type RequestState } from '../../lib/latestRequest';
import { DEFAULT_HISTORY_FILTER, HISTORY_SHOWN, historyArgs } from '../../store/alerts';
import { HistoryNotice } from '../AlertsHistory';
import { TimelineBody } from './EventsTab';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const run = <T,>(events: RequestEvent<T>[]): RequestState<T> => events.reduce<RequestState<T>>(requestStep, REQUEST_IDLE);

const step = { seq: 1, timeMs: Date.UTC(2026, 10, 23, 8), type: 'payment.authorized', category: 'payment', amount: 1250, currency: 'KWD', sincePreviousMs: null } as unknown as TimelineStep;
const timeline = { paymentId: 'pay_2', steps: [step], durationMs: 0, truncated: false } as unknown as PaymentTimeline;
const body = (events: RequestEvent<PaymentTimeline>[]) => text(renderToStaticMarkup(<TimelineBody state={run(events)} onSelect={() => undefined} />));

describe("a payment's timeline", () => {
  const firstFailed: RequestEvent<PaymentTimeline>[] = [
    { kind: 'started', request: 1 },
    { kind: 'failed', request: 1, message: 'the read worker stopped' },
  ];

  it("opening another payment clears the first one's error: the new one is on its way, then shown", () => {
    expect(body(firstFailed)).toBe('the read worker stopped');
    const next = [...firstFailed, { kind: 'started', request: 2 } as const];
    expect(body(next)).toBe('Loading…');
    expect(body([...next, { kind: 'answered', request: 2, data: timeline }])).toContain('1 event over');
  });

  it("a late answer for the payment before does not stand for the one opened since", () => {
    const started: RequestEvent<PaymentTimeline>[] = [
      { kind: 'started', request: 1 },
      { kind: 'started', request: 2 },
    ];
    expect(body([...started, { kind: 'answered', request: 1, data: { ...timeline, steps: [] } }])).toBe('Loading…');
    expect(body([...started, { kind: 'answered', request: 2, data: timeline }, { kind: 'failed', request: 1, message: 'timed out' }])).toContain('1 event over');
  });
});

describe('the alert history', () => {
  const record = { key: 'k1', rule: 'decline-rate-spike' } as AlertHistoryRecord;
  const notice = (events: RequestEvent<AlertHistoryRecord[]>[]) => text(renderToStaticMarkup(<HistoryNotice state={run(events)} />));

  it('a first read that fails says so and that Refresh tries again, not "Loading…"', () => {
    const shown = notice([{ kind: 'started', request: 1 }, { kind: 'failed', request: 1, message: 'connection lost.' }]);
    expect(shown).toBe('History unavailable: connection lost. Refresh to try again.');
  });

  it("a new filter drops the rows of the filter before: a failure is not shown with them, nor is an empty answer before it comes", () => {
    const answered: RequestEvent<AlertHistoryRecord[]>[] = [
      { kind: 'started', request: 1 },
      { kind: 'answered', request: 1, data: [] },
    ];
    const refiltered = run([...answered, { kind: 'started', request: 2 }]);
    expect(refiltered.data).toBeNull();
    expect(notice([...answered, { kind: 'started', request: 2 }])).toBe('Loading…');
    expect(run([{ kind: 'started', request: 1 }, { kind: 'answered', request: 1, data: [record] }, { kind: 'started', request: 2 }, { kind: 'failed', request: 2, message: 'busy' }]).data).toBeNull();
  });

  it('a refresh keeps the rows until its answer; when it fails they stay, said to be from the read before', () => {
    const kept = run<AlertHistoryRecord[]>([{ kind: 'started', request: 1 }, { kind: 'answered', request: 1, data: [record] }, { kind: 'started', request: 2, keep: true }]);
    expect(kept.data).toEqual([record]);
    expect(requestPending(kept)).toBe(true);
    const failed = requestStep(kept, { kind: 'failed', request: 2, message: 'busy' });
    expect(failed.data).toEqual([record]);
    expect(text(renderToStaticMarkup(<HistoryNotice state={failed} />))).toBe('History unavailable: busy. The rows below are from the read before. Refresh to try again.');
  });

  it("an older read's late answer does not replace the newer filter's rows", () => {
    const s = run<AlertHistoryRecord[]>([
      { kind: 'started', request: 1 },
      { kind: 'started', request: 2 },
      { kind: 'answered', request: 2, data: [record] },
      { kind: 'answered', request: 1, data: [] },
    ]);
    expect(s.data).toEqual([record]);
    expect(requestPending(s)).toBe(false);
  });
});

describe('the alert history of a busy console', () => {
  // A merchant-level rule over PaySim's 10,000 merchants fires hundreds of episodes a day. The
  // history asked for 500 and showed what came, so a 501st and older were left out unsaid.
  const record = (i: number) => ({ key: `k${i}`, rule: 'merchant-decline-spike' }) as AlertHistoryRecord;

  it('asks for one more than it shows, and says when it leaves older episodes out', () => {
    expect(historyArgs(DEFAULT_HISTORY_FILTER, 0).limit).toBe(HISTORY_SHOWN + 1);
    const full = run<AlertHistoryRecord[]>([{ kind: 'started', request: 1 }, { kind: 'answered', request: 1, data: Array.from({ length: HISTORY_SHOWN + 1 }, (_, i) => record(i)) }]);
    expect(text(renderToStaticMarkup(<HistoryNotice state={full} />))).toBe(`Showing the newest ${HISTORY_SHOWN} episodes; older ones match too: narrow the rule, severity or time to see them.`);
    const exact = run<AlertHistoryRecord[]>([{ kind: 'started', request: 1 }, { kind: 'answered', request: 1, data: Array.from({ length: HISTORY_SHOWN }, (_, i) => record(i)) }]);
    expect(renderToStaticMarkup(<HistoryNotice state={exact} />)).toBe('');
  });
});
