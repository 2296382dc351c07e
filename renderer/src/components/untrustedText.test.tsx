// Text that comes from the events (a merchant id, an issuer, an alert's label value) placed in
// the console's tables: bidi-isolated, so a right-to-left override in a merchant id cannot turn
// round what follows it in the line, and cut to a length a cell holds, the whole in its title.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import type { HealthBoard } from '../../../shared/triage';
import { HealthTable } from '../views/Triage';
import { AlertList } from './AlertList';
import type { QueueDepth } from '../../../shared/metrics';
import { DeadLetterQueueTable } from '../views/DeadLetters';
import { ConnectionQueue, WatchedQueues } from './ConnectionPanel';
import { QueueDepthChart } from './QueueDepthChart';
import { QueueRow } from './QueuePanel';
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

describe('queue names are untrusted text, cut in the middle', () => {
  // A broker's queue name is anyone's: an override, a zero-width character, up to 255 bytes. Cut
  // at its end, payops.console.<host>.<id> lost the id that tells two consoles' queues apart.
  const long = `payops.console.${'h'.repeat(120)}.${RLO}id42\u200b9f`;
  const written = `payops.console.${'h'.repeat(120)}.\\u202eid42\\u200b9f`;
  const plain = (html: string) => html.replace(/<[^>]+>/g, '');

  it('clipText keeps the start and the end when cut in the middle, by characters', () => {
    expect(clipText('abcdefghij', 4, 'middle')).toBe('ab…ij');
    expect(clipText('abcdefghij', 5, 'middle')).toBe('abc…ij');
    expect(clipText('💳💳💳💳💳💳', 2, 'middle')).toBe('💳…💳');
    expect(clipText('abcd', 4, 'middle')).toBe('abcd');
  });

  /** The drawn queue name: its start and its id at the end, no raw override or zero-width space, the whole in the title. */
  function expectMiddleCut(html: string) {
    // Drawn text, titles and accessible names (a test id may hold the name as it is).
    const said = html.replace(/ data-[\w-]+="[^"]*"/g, '');
    expect(said).not.toContain(RLO);
    expect(said).not.toContain('\u200b');
    const shown = isolated(html).find((t) => t.startsWith('payops.console.'));
    expect(shown).toBeDefined();
    expect(shown!.endsWith('id42\\u200b9f')).toBe(true);
    expect(shown).toContain('…');
    expect(Array.from(shown!).length).toBeLessThan(70);
    expect(html).toContain(`title="${written}"`);
  }

  it("the queue panel's row", () => {
    const q: QueueDepth = { queue: long, messages: 3, consumers: 1, at: 1, error: null };
    expectMiddleCut(renderToStaticMarkup(<table><tbody><QueueRow q={q} history={{ at: 0, byQueue: new Map() }} /></tbody></table>));
  });

  it("the connection panel's queue and watched queues", () => {
    const html = renderToStaticMarkup(
      <>
        <dl>
          <ConnectionQueue queue={{ name: long, own: true, type: 'classic', expiresMs: null, consumers: 1, competing: false }} />
        </dl>
        <WatchedQueues queues={[{ queue: long, messages: 3, consumers: 1, at: 1, error: null }]} />
      </>,
    );
    expect(isolated(html).filter((t) => t.startsWith('payops.console.'))).toHaveLength(2);
    expectMiddleCut(html);
    expect(plain(html)).not.toContain('h'.repeat(120));
  });

  it("the queue depth chart's legend", () => {
    const html = renderToStaticMarkup(<QueueDepthChart points={[{ t: 100, span: 1, depths: { [long]: 4 } }]} nowSec={100} windowSeconds={120} theme="dark" />);
    const legend = html.slice(html.indexOf('<ul class="legend"'));
    expectMiddleCut(legend);
  });

  it('the dead-letter queue list, its feeders too', () => {
    const html = renderToStaticMarkup(<DeadLetterQueueTable queues={[{ name: long, messages: 2, reasons: ['named'], feeders: [long] }]} current={null} onBrowse={() => undefined} />);
    expect(isolated(html).filter((t) => t.startsWith('payops.console.'))).toHaveLength(2);
    expectMiddleCut(html);
  });
});
