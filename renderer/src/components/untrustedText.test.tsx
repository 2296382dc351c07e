// Text that comes from the events (a merchant id, an issuer, an alert's label value) placed in
// the console's tables: bidi-isolated, so a right-to-left override in a merchant id cannot turn
// round what follows it in the line, and cut to a length a cell holds, the whole in its title.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import type { HealthBoard } from '../../../shared/triage';
import { HealthTable } from '../views/Triage';
import { AlertList } from './AlertList';
import { clipText } from './UntrustedText';

const RLO = '\u202e';
const hostile = `${RLO}m_${'x'.repeat(4000)}`;

const alert: AlertView = {
  key: 'k1', rule: 'merchant-decline-spike', severity: 'critical', labels: { merchantId: hostile, country: 'DE' }, state: 'firing',
  metric: 'decline_rate', value: 0.4, peakValue: 0.4, summary: 'decline rate high', runbookUrl: null,
  activeSince: 0, firedAt: 0, resolvedAt: null, silenced: false, acknowledged: null, transitions: [],
};

/** The text of every <bdi> in the markup. */
const isolated = (html: string) => [...html.matchAll(/<bdi[^>]*>([^<]*)<\/bdi>/g)].map((m) => m[1]);

describe('untrusted text in tables', () => {
  it("an alert's label value is isolated and cut, the whole in its title", () => {
    const html = renderToStaticMarkup(<AlertList alerts={[alert]} />);
    const shown = isolated(html).find((t) => t.includes('m_xxx'));
    expect(shown).toBeDefined();
    expect(shown!.length).toBeLessThan(100);
    // Its override shown as \u202e, in the cell and the title: inside the isolate it still turned the value round.
    expect(html).toContain(`title="\\u202em_${'x'.repeat(4000)}"`);
    expect(html).not.toContain(RLO);
    // The label after it is its own text, not inside the override's reach.
    expect(isolated(html)).toContain('DE');
  });

  it("a health board segment's value is isolated and cut", () => {
    const figures = { attempts: 500, approval: 0.5, failure: 0, payments: 500, paymentApproval: 0.5 };
    const board: HealthBoard = {
      from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', basis: 'per payment', volumeFloor: 200,
      segments: [{ dimension: 'merchantId', value: hostile, state: 'down', reason: 'approval 50 % vs 90 %', judged: true, basis: 'per payment', window: figures, baseline: figures }],
    };
    const html = renderToStaticMarkup(<HealthTable board={board} />);
    const shown = isolated(html).find((t) => t.includes('m_xxx'));
    expect(shown).toBeDefined();
    expect(shown!.length).toBeLessThan(100);
  });

  it('cuts by characters, never inside an emoji', () => {
    expect(clipText('m_💳💳💳', 3)).toBe('m_💳…');
    expect(clipText('m_1042', 6)).toBe('m_1042');
  });
});
