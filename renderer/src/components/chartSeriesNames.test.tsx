// @vitest-environment happy-dom
// The live charts' series are named by the broker (a watched queue) and by the events (an event
// type): anyone's text, with overrides, zero-width characters, 255 bytes. Their legends isolated
// and cut a queue's name, but the tooltip (hover, or the arrow keys) and the line said to a
// screen reader for the time the keys chose drew the series' names raw, and so did the
// throughput chart's legend: an override turned "name value" round (the figure read as part of
// the name), a zero-width space made one queue read as another, a long name filled the tooltip.
// Now each is drawn as the legends draw it: isolated in a <bdi> (no isolation marks in the text
// a screen reader reads), undrawn characters as \uXXXX, a queue cut in its middle.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { DPoint, TPoint } from '../store/series';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { QueueDepthChart } from './QueueDepthChart';
import { ThroughputChart } from './ThroughputChart';

useDomRoots();

const RLO = '\u202e';
const HOST = 'h'.repeat(120);
const QUEUE = `payops.console.${HOST}.${RLO}id42\u200b9f`;
const TYPE = `payment.${RLO}authorized`;
/** Raw overrides and zero-width spaces, and the plain-text isolation marks. */
const RAW = /[\u202e\u200b\u2068\u2069]/;

/** The plot's tooltip and the line said, for the time the End key chooses. */
async function atEnd(container: HTMLElement): Promise<{ tooltip: Element; said: Element }> {
  const plot = container.querySelector<HTMLElement>('[role="application"]')!;
  await act(async () => {
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }));
  });
  return { tooltip: container.querySelector('.chart-tooltip')!, said: container.querySelector('[data-testid="plot-said"]')! };
}

describe("the queue depth chart's tooltip and the line said", () => {
  it("names the queue isolated, undrawn characters shown, cut in its middle (its id kept)", async () => {
    const points: DPoint[] = [{ t: 100, span: 1, depths: { [QUEUE]: 4, 'orders.work': 2 } }];
    const container = await renderInDom(<QueueDepthChart points={points} nowSec={101} windowSeconds={120} theme="dark" />);
    const { tooltip, said } = await atEnd(container);
    for (const el of [tooltip, said]) {
      expect(el.textContent).not.toMatch(RAW);
      expect(el.textContent).not.toContain(HOST);
      const name = [...el.querySelectorAll('bdi')].find((b) => b.textContent!.startsWith('payops.console.'))!;
      expect(name.textContent).toMatch(/^payops\.console\.h+…h*\.\\u202eid42\\u200b9f$/);
      expect(name.getAttribute('title')).toBe(`payops.console.${HOST}.\\u202eid42\\u200b9f`);
    }
    // The figure stays outside the name, after it.
    expect(said.textContent).toMatch(/…h*\.\\u202eid42\\u200b9f 4(, |$)/);
    expect(said.textContent).toContain('orders.work 2');
  });
});

describe("the throughput chart's legend, tooltip and the line said", () => {
  it('names the event type isolated, undrawn characters shown', async () => {
    const points: TPoint[] = [{ t: 100, span: 1, counts: { [TYPE]: 3, 'payment.declined': 1 } }];
    const container = await renderInDom(<ThroughputChart points={points} nowSec={101} windowSeconds={120} theme="dark" />);
    const legend = container.querySelector('ul.legend')!;
    const { tooltip, said } = await atEnd(container);
    for (const el of [legend, tooltip, said]) {
      expect(el.textContent).not.toMatch(RAW);
      expect([...el.querySelectorAll('bdi')].map((b) => b.textContent)).toEqual(expect.arrayContaining(['payment.\\u202eauthorized', 'payment.declined']));
    }
    expect(said.textContent).toMatch(/payment\.\\u202eauthorized 3(\.0)?\/s/);
  });
});
