// @vitest-environment happy-dom
// What the broker says about a queue quotes the queue: a failed passive declare is amqplib's
// "NOT_FOUND - no queue '…'", a stream's note starts with its name, the empty list names the
// console's own queue, the header the broker's node. The queue's name was isolated where it
// heads its row, but these lines drew it raw: an override turned the line round, a zero-width
// space made one queue read as another. Now each is drawn as a sentence with the queue (or
// node) isolated in a <bdi>, undrawn characters shown; a title holds it between isolation marks.
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSnapshot, QueueDepth } from '../../../shared/metrics';
import { appStore } from '../store/appStore';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { NodeAlarmBanner } from './BrokerBanners';
import { WatchedQueues } from './ConnectionPanel';
import { QueueDelay } from './QueueDelay';
import { QueuePanel, QueueRow } from './QueuePanel';

useDomRoots();
// The store is the page's one (other files in this worker share it): put back what was there.
const before = appStore.getState();
afterEach(() => act(async () => appStore.setState(before, true)));

const RLO = '\u202e';
const QUEUE = `orders.${RLO}work\u200b`;
const SHOWN = 'orders.\\u202ework\\u200b';
const RAW = /[\u202e\u200b]/;
const refused: QueueDepth = { queue: QUEUE, messages: null, consumers: null, at: 1, error: `passive declare failed: NOT_FOUND - no queue '${QUEUE}' in vhost '/'` };

/** The panel as the store's snapshot draws it (only what the panel reads). */
async function panelWith(view: Partial<EngineSnapshot>): Promise<HTMLElement> {
  const snapshot = { queues: [], brokerNode: null, connection: { state: 'connected', queue: null }, ...view } as unknown as EngineSnapshot;
  await act(async () => appStore.setState((s) => ({ ...s, snapshot, view: { ...s.view, snapshot } })));
  return renderInDom(<QueuePanel />);
}

describe("the broker's words about a queue", () => {
  it("a queue's error, in the queue panel and the connection panel's list", async () => {
    const row = await renderInDom(
      <table>
        <tbody>
          <QueueRow q={refused} history={{ at: 0, byQueue: new Map() }} />
        </tbody>
      </table>,
    );
    const list = await renderInDom(<WatchedQueues queues={[refused]} />);
    for (const el of [row, list]) {
      expect(el.textContent).not.toMatch(RAW);
      expect(el.textContent).toContain(`no queue '${SHOWN}' in vhost`);
      // The row's name and the error's: both isolated.
      expect([...el.querySelectorAll('bdi')].filter((b) => b.textContent === SHOWN)).toHaveLength(2);
    }
  });

  it("a stream's note, in the delay cell's title and in the panel", async () => {
    const note = `${QUEUE} is a stream: it keeps the messages it delivered`;
    const stream: QueueDepth = { queue: QUEUE, messages: 5, consumers: 1, at: 1, error: null, source: 'amqp', note, type: 'classic' };
    const cell = await renderInDom(<QueueDelay q={stream} />);
    expect(cell.querySelector('[title]')!.getAttribute('title')).toBe(`\u2068${SHOWN}\u2069 is a stream: it keeps the messages it delivered`);
    const panel = await panelWith({ queues: [stream] });
    const hint = panel.querySelector('[data-testid="queue-management-note"]')!;
    expect(hint.textContent).not.toMatch(RAW);
    expect(hint.querySelector('bdi')!.textContent).toBe(SHOWN);
  });

  it("the empty list's own queue and the header's broker node", async () => {
    const panel = await panelWith({
      connection: { state: 'connected', queue: { name: QUEUE } } as EngineSnapshot['connection'],
      brokerNode: { node: `rabbit@${RLO}host`, connections: 1, channels: 2, at: 1, error: null } as EngineSnapshot['brokerNode'],
    });
    const empty = panel.querySelector('[data-testid="queues-empty"]')!;
    expect(empty.textContent).not.toMatch(RAW);
    expect(empty.querySelector('bdi')!.textContent).toBe(SHOWN);
    const head = panel.querySelector('.panel-head')!;
    expect(head.textContent).not.toMatch(RAW);
    expect([...head.querySelectorAll('bdi')].map((b) => b.textContent)).toContain('rabbit@\\u202ehost');
  });
});

describe("the broker's alarm banner", () => {
  // Said at once (role alert): the node's name was drawn raw in it.
  it('names the node isolated, undrawn characters shown', async () => {
    const snapshot = { brokerNode: { node: `rabbit@${RLO}host`, memoryAlarm: true, diskAlarm: false, blockingPublishers: true, at: 1, error: null } } as unknown as EngineSnapshot;
    await act(async () => appStore.setState((s) => ({ ...s, snapshot })));
    const banner = (await renderInDom(<NodeAlarmBanner />)).querySelector('[data-testid="broker-alarm-banner"]')!;
    expect(banner.textContent).not.toMatch(RAW);
    expect(banner.querySelector('bdi')!.textContent).toBe('rabbit@\\u202ehost');
    expect(banner.textContent).toContain('is low on memory: it is blocking publishers');
  });
});
