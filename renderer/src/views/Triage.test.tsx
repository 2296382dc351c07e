// The triage view's explanation and health board as the renderer draws them (react-dom/server,
// no DOM needed): figures an operator reads aloud, on boards of the size PaySim gives.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeclineCodeGrowth, Explanation, HealthBoard, SegmentHealth } from '../../../shared/triage';
import { CodesGrown, ContributorsTable, ExplainView, HealthPanelView, HealthTable, Triage } from './Triage';
import { EXPLAIN_IDLE, explainStep, healthRowsShown, type ExplainEvent } from './triageModel';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('decline codes that grew', () => {
  // A 15-minute window against its hour of baseline: 1,250 of 20,000 attempts vs 1,600 of 80,000.
  const code: DeclineCodeGrowth = {
    code: '91',
    meaning: 'issuer unavailable',
    kind: 'soft',
    window: { count: 1250, perAttempt: 1250 / 20_000 },
    baseline: { count: 1600, perAttempt: 1600 / 80_000 },
    significant: true,
  };

  it('compares the share of attempts (the baseline is longer than the window), counts grouped', () => {
    const shown = text(renderToStaticMarkup(<CodesGrown codes={[code]} />));
    // Raw counts alone read as a fall (1250 vs 1600) for a code that tripled.
    expect(shown).toContain('6.3 % of attempts (1,250) vs 2.0 % (1,600) in the baseline');
    expect(shown).not.toContain('1250');
  });
});

describe('the health board of thousands of merchants', () => {
  const figures = { attempts: 500, approval: 0.9, failure: 0.01, payments: 480, paymentApproval: 0.92 };
  const segment = (i: number): SegmentHealth => ({
    dimension: 'merchantId',
    value: `m_${String(i).padStart(5, '0')}`,
    state: i < 3 ? 'degraded' : 'ok',
    reason: 'approval per payment 92 % vs 92 %',
    judged: true,
    basis: 'per payment',
    window: figures,
    baseline: figures,
  });
  const board: HealthBoard = {
    from: '2026-11-23T08:00:00.000Z',
    to: '2026-11-23T08:15:00.000Z',
    basis: 'per payment',
    volumeFloor: 200,
    segments: Array.from({ length: 10_000 }, (_, i) => segment(i)),
  };

  it('says how many judged segments it leaves out, and offers to find one', () => {
    const html = renderToStaticMarkup(<HealthTable board={board} />);
    expect(html.match(/data-testid="health-row"/g)).toHaveLength(60);
    expect(text(html)).toContain('60 of 10,000 judged segments, worst first');
    expect(html).toContain('data-testid="health-find"');
  });

  it('finds a merchant past the first rows by its id, in any dimension', () => {
    const found = healthRowsShown(board.segments, 'M_09876');
    expect(found.rows.map((s) => s.value)).toEqual(['m_09876']);
    expect(found.matched).toBe(1);
    expect(healthRowsShown(board.segments, 'merchantId').matched).toBe(10_000);
    expect(healthRowsShown(board.segments, '').rows).toHaveLength(60);
  });
});

describe('the health board when a refresh fails', () => {
  const figures = { attempts: 500, approval: 0.2, failure: 0, payments: 500, paymentApproval: 0.2 };
  const board: HealthBoard = {
    from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:05:00.000Z', basis: 'per payment', volumeFloor: 200,
    segments: [{ dimension: 'issuer', value: 'tamarind-card', state: 'down', reason: 'approval 20 % vs 93 %', judged: true, basis: 'per payment', window: figures, baseline: figures }],
  };

  it('keeps the board it has, says it is not refreshed and why, and that it tries again', () => {
    const html = renderToStaticMarkup(<HealthPanelView board={board} error="connection lost" refreshedAt={Date.UTC(2026, 10, 23, 8, 5, 3)} />);
    expect(html).toContain('data-state="down"');
    const shown = text(html);
    expect(shown).toMatch(/Not refreshed since \S+ \S+ \S+: connection lost\. Trying again every 10 s\./);
  });

  it('with no board yet, says the board could not be read and that it tries again', () => {
    const shown = text(renderToStaticMarkup(<HealthPanelView board={null} error="connection lost." refreshedAt={null} />));
    expect(shown).toBe('The health board could not be read: connection lost. Trying again every 10 s.');
  });
});

/** An explanation of 15 minutes against the hour before, one significant contributor. */
function contributorsOf(): Explanation {
  const period = { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', value: 0.8, attempts: 20_000 };
  return {
    metric: 'approval-rate', significant: true, overdispersion: 1, basis: 'per attempt', headline: 'approval fell',
    window: period, baseline: { ...period, from: '2026-11-23T07:00:00.000Z', to: '2026-11-23T08:00:00.000Z', attempts: 80_000 },
    contributors: [{
      dimension: 'issuer', value: 'tamarind-card', effect: 'rate', contribution: -0.1, rateEffect: -0.1, mixEffect: 0, shareOfChange: 0.9, significant: true,
      window: { attempts: 3, value: 0 }, baseline: { attempts: 12_400, value: 0.93 }, topCodes: ['91'],
    }],
    declineCodes: [],
  } as unknown as Explanation;
}

describe('contributors', () => {
  const e = contributorsOf();

  it("give each side's attempts beside its rate: 0 % of 3 attempts is not 0 % of thousands", () => {
    const shown = text(renderToStaticMarkup(<ContributorsTable e={e} />));
    expect(shown).toContain('93.0 % of 12,400 → 0.0 % of 3');
  });

  it("shows the health board's verdict beside a contributor the board flags, and none where it does not", () => {
    const flagged = { ...e, contributors: [{ ...e.contributors[0], health: { state: 'down' as const, reason: 'approval per payment 0.0 % vs 93.0 %' } }] };
    const html = renderToStaticMarkup(<ContributorsTable e={flagged} />);
    expect(html).toContain('data-testid="triage-contributor-health" data-state="down"');
    expect(text(html)).toContain('down approval per payment 0.0 % vs 93.0 %');
    expect(renderToStaticMarkup(<ContributorsTable e={e} />)).not.toContain('triage-contributor-health');
  });

  it('a segment new in the window says its baseline had no attempts, not a rate', () => {
    const fresh = { ...e, contributors: [{ ...e.contributors[0], baseline: { attempts: 0, value: null } }] };
    expect(text(renderToStaticMarkup(<ContributorsTable e={fresh} />))).toContain('no attempts → 0.0 % of 3');
  });
});

describe('explain requests in turn', () => {
  const answer = (metric: Explanation['metric'], headline: string) =>
    ({
      metric, significant: true, overdispersion: 1, basis: 'per attempt', headline,
      window: { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', value: 0.8, attempts: 20_000 },
      baseline: { from: '2026-11-23T07:00:00.000Z', to: '2026-11-23T08:00:00.000Z', value: 0.9, attempts: 80_000 },
      contributors: [], declineCodes: [],
    }) as unknown as Explanation;
  const run = (events: ExplainEvent[]) => events.reduce(explainStep, EXPLAIN_IDLE);
  const shown = (events: ExplainEvent[]) => text(renderToStaticMarkup(<ExplainView state={run(events)} />));
  const approvalFailed: ExplainEvent[] = [
    { kind: 'started', request: 1, metric: 'approval-rate' },
    { kind: 'failed', request: 1, message: 'the read worker stopped' },
  ];

  it("a failed explain's error goes when another metric is picked: the new request is on its way", () => {
    expect(shown(approvalFailed)).toContain('the read worker stopped');
    const picked = shown([...approvalFailed, { kind: 'started', request: 2, metric: 'failure-rate' }]);
    expect(picked).not.toContain('the read worker stopped');
    expect(picked).toContain('Explaining');
  });

  it('a late answer of an older request does not replace the newer one', () => {
    const newer = answer('failure-rate', 'failures rose');
    const older = answer('approval-rate', 'approval fell');
    const started: ExplainEvent[] = [
      { kind: 'started', request: 1, metric: 'approval-rate' },
      { kind: 'started', request: 2, metric: 'failure-rate' },
    ];
    expect(shown([...started, { kind: 'answered', request: 2, explanation: newer }, { kind: 'answered', request: 1, explanation: older }])).toContain('failures rose');
    expect(shown([...started, { kind: 'answered', request: 2, explanation: newer }, { kind: 'failed', request: 1, message: 'timed out' }])).not.toContain('timed out');
    // Still waiting for the newer: the older's answer is not shown as if it were the newer's.
    expect(shown([...started, { kind: 'answered', request: 1, explanation: older }])).toContain('Explaining');
  });

  it('an error names the metric it is for', () => {
    expect(shown(approvalFailed)).toContain('approval-rate');
  });
});

describe('sentences composed around values from events', () => {
  // A merchant id carrying a right-to-left override reversed the rest of the headline and of a
  // health reason; a zero-width space made "m_1" read like another id. They are shown as \uXXXX.
  it('the headline and a health reason show undrawn characters as \\uXXXX', () => {
    const e = {
      metric: 'approval-rate', significant: true, overdispersion: 1, basis: 'per attempt',
      headline: 'approval 81 % vs 93 %: merchant m_\u202e1 approval 12 % vs 93 %',
      window: { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', value: 0.81, attempts: 2000 },
      baseline: { from: '2026-11-23T07:00:00.000Z', to: '2026-11-23T08:00:00.000Z', value: 0.93, attempts: 8000 },
      contributors: [], declineCodes: [],
    } as unknown as Explanation;
    const html = renderToStaticMarkup(<ExplainView state={{ ...EXPLAIN_IDLE, explanation: e }} />);
    expect(html).toContain('merchant m_\\u202e1 approval 12 %');
    expect(html).not.toContain('\u202e');
    const board: HealthBoard = {
      from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', basis: 'per payment', volumeFloor: 20,
      segments: [{ dimension: 'merchantId', value: 'm_\u200b1', state: 'down', judged: true, reason: 'approval per payment 2 % vs 94 % (m_\u200b1)' } as unknown as SegmentHealth],
    };
    const table = renderToStaticMarkup(<HealthTable board={board} />);
    // The segment's value, where a reason names it, is its own isolate (sentenceIsolation.test.tsx).
    expect(table).toContain('94 % (<bdi>m_\\u200b1</bdi>)');
  });
});

// Issue 13: every rate says which it is. Explain's rates are per attempt: the contributors'
// rates, their bars' titles and the metric picker say so, not only the line above them.
describe('explain says its rates are per attempt where they appear', () => {
  const e = contributorsOf();

  it("the contributors' Before / after heading and the bars' titles", () => {
    const html = renderToStaticMarkup(<ContributorsTable e={e} />);
    expect(html).toContain('<th scope="col">Before / after, per attempt</th>');
    expect(html).toContain('title="baseline 93.0 % per attempt"');
    expect(html).toContain('title="window 0.0 % per attempt"');
  });

  it('the metric picker names each rate per attempt', () => {
    const html = renderToStaticMarkup(<Triage />);
    expect(html).toContain('>approval rate per attempt</option>');
    expect(html).toContain('>decline rate per attempt</option>');
    expect(html).toContain('>failure rate per attempt</option>');
  });
});

// A screen reader lists a page's tables by their names; these had none.
describe('the triage tables are named', () => {
  it('the contributors and the health board', () => {
    expect(renderToStaticMarkup(<ContributorsTable e={contributorsOf()} />)).toContain('<caption class="sr-only">Segments that moved approval-rate (per attempt), largest part first</caption>');
    const board = { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:05:00.000Z', volumeFloor: 20, basis: 'per payment', segments: [] } as unknown as HealthBoard;
    expect(renderToStaticMarkup(<HealthTable board={board} />)).toContain('<caption class="sr-only">Segment health, worst first</caption>');
  });
});
