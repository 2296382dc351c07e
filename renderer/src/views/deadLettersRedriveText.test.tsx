// @vitest-environment happy-dom
// A redrive as the operator and a screen reader meet it, with the broker's names in it. A queue
// name, an exchange and a routing key are anyone's (an override, a zero-width space, 255 bytes).
// Before: the confirmation dialog's title and text, its targets and the announcement after the
// redrive drew them raw: an override turned "Redrive 2 messages from …?" round, a zero-width
// space made one queue read as another, a long name pushed the queue's id out of the dialog.
// Now they are drawn as the queue list draws them (isolated in a <bdi>, undrawn characters as
// \uXXXX, a queue cut in its middle), and the announcement holds no isolation marks to be read.
//
// The engine's API is the preload's `window.payops`, answering as the engine would.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { PayopsApi } from '../../../shared/api';
import { answerCalls } from '../testing/preloadApi';
import type { DeadLetterMessage, DeadLetterSandboxReport, DryRunSummary, RedriveAuditEntry } from '../../../shared/deadLetters';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { AuditPanel, DeadLetters, DryRunPanel } from './DeadLetters';

useDomRoots();

const RLO = '\u202e';
const ZWSP = '\u200b';
const HOST = 'h'.repeat(120);
const QUEUE = `payops.console.${HOST}.${RLO}id42${ZWSP}9f.dlq`;
const EXCHANGE = `pay${RLO}ments`;
const ROUTING_KEY = `payment.${'x'.repeat(200)}`;
/** Characters that must not reach the text: raw overrides and zero-width spaces, and the plain-text isolation marks. */
const RAW = /[\u202e\u200b\u2068\u2069]/;

function letter(id: string, origin: boolean): DeadLetterMessage {
  return {
    id,
    copyId: `copy:${id}`,
    exchange: 'dlx',
    routingKey: 'k',
    deaths: [],
    origin: origin ? { exchange: EXCHANGE, routingKey: ROUTING_KEY, queue: 'work', reason: 'rejected' } : null,
    decoded: { ok: true, type: 'payment.authorized', eventId: id },
    contentType: null,
    bodyPreview: '',
    bytes: 1,
  };
}

/** The view, answered as the engine would (`browse` answers the browse of QUEUE), with QUEUE browsed. */
async function browsed(browse: () => DeadLetterMessage[]): Promise<HTMLElement> {
  const invoke = (async (call: string) => {
    if (call === 'deadLetters.audit') return { entries: [] };
    if (call === 'deadLetters.queues') return { queues: [{ name: QUEUE, messages: 3, reasons: ['name'], feeders: [] }], readOnly: false, vhost: '/' };
    if (call === 'deadLetters.browse') return { queue: QUEUE, messages: browse() };
    if (call === 'deadLetters.redrive') return { redriveId: 'r1', redriven: 2, removedOnly: 0, skipped: [{ id: 'd3', reason: 'no origin' }], failed: [{ id: 'd9', reason: 'nack' }], inDoubt: [], targets: [] };
    throw new Error(`not in this test: ${call}`);
  }) as PayopsApi['invoke'];
  answerCalls(invoke);
  const container = await renderInDom(<DeadLetters />);
  await act(async () => container.querySelector<HTMLButtonElement>('.dlq-name')!.click());
  return container;
}

async function openConfirmation(): Promise<HTMLElement> {
  const container = await browsed(() => [letter('d1', true), letter('d2', true), letter('d3', false)]);
  await act(async () => container.querySelector<HTMLInputElement>('[data-testid="dlq-select-all"]')!.click());
  await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="dlq-redrive"]')!.click());
  return container;
}

/** The queue as the list draws it: its start and its id, \uXXXX for what is not drawn, cut in the middle. */
function expectQueueDrawn(bdi: Element | null | undefined) {
  expect(bdi).toBeTruthy();
  expect(bdi!.textContent).toMatch(/^payops\.console\.h+…h*\.\\u202eid42\\u200b9f\.dlq$/);
  expect(Array.from(bdi!.textContent!).length).toBeLessThan(70);
  expect(bdi!.getAttribute('title')).toBe(`payops.console.${HOST}.\\u202eid42\\u200b9f.dlq`);
}

describe('the redrive confirmation names the queue and the targets as the list does', () => {
  it('its title (the dialog\'s name) and its text: isolated, undrawn characters shown, the queue cut in its middle', async () => {
    const container = await openConfirmation();
    const dialog = container.querySelector('[data-testid="dlq-confirm"]')!;
    expect(dialog).not.toBeNull();
    expect(dialog.textContent).not.toMatch(RAW);
    expect(dialog.textContent).not.toContain(HOST);
    // The dialog is named by its heading: the name a screen reader says holds the queue as drawn.
    const heading = container.querySelector(`#${CSS.escape(dialog.getAttribute('aria-labelledby')!)}`)!;
    expect(heading.textContent).toMatch(/^Redrive 2 messages from payops\.console\.h+….*\?$/);
    expectQueueDrawn(heading.querySelector('bdi'));
    // The text's queue, and the one the staying line names.
    const body = dialog.querySelector('.dlq-confirm-body')!;
    const queues = [...body.querySelectorAll('bdi')].filter((b) => b.textContent!.startsWith('payops.console.'));
    expect(queues).toHaveLength(2);
    queues.forEach(expectQueueDrawn);
    expect(body.textContent).toMatch(/1 selected message has no x-death origin and will stay in payops\.console\.h+…h*\.\\u202eid42\\u200b9f\.dlq\./);
  });

  it('each target: its exchange and routing key isolated and cut, the count outside', async () => {
    const container = await openConfirmation();
    const targets = [...container.querySelectorAll('[data-testid="dlq-confirm-targets"] li')];
    expect(targets).toHaveLength(1);
    const target = targets[0].querySelector('bdi')!;
    expect(target.textContent).toMatch(/^pay\\u202ements \/ payment\.x+…$/);
    expect(target.getAttribute('title')).toBe(`pay\\u202ements / ${ROUTING_KEY}`);
    expect(targets[0].textContent).toMatch(/… \(2\)$/);
  });
});

describe('the announcement after a redrive', () => {
  it('names the queue isolated in a <bdi> (no isolation marks to be read), undrawn characters shown, cut in its middle', async () => {
    const container = await openConfirmation();
    await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="dlq-confirm-redrive"]')!.click());
    const live = container.querySelector('[data-testid="dead-letters-status"]')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toMatch(/^Redriven 2 messages from payops\.console\.h+…/);
    expect(live.textContent).toContain('1 failed and stays in payops.console.');
    expect(live.textContent).not.toMatch(RAW);
    expect(live.textContent).not.toContain(HOST);
    const queues = [...live.querySelectorAll('bdi')];
    expect(queues).toHaveLength(2);
    queues.forEach(expectQueueDrawn);
    // The line drawn beside it says the same.
    expect(container.querySelector('.dlq-status')!.textContent).toBe(live.textContent);
  });
});

describe("the dry run's plan and lists", () => {
  // Before: the plan's targets, the types stored, the duplicate ids and the ids no longer in the
  // queue were joined into plain text, raw.
  it('isolates each target, type and id, undrawn characters shown', async () => {
    const plan: DryRunSummary = { messages: 2, wouldStore: {}, wouldQuarantine: [], noOrigin: ['d\u202e3'], targets: [{ exchange: EXCHANGE, routingKey: ROUTING_KEY, count: 1 }] };
    const sandbox: DeadLetterSandboxReport = {
      messages: 2, stored: 1, duplicates: 1, quarantined: [], alerts: [], rules: 0,
      storedByType: { [`payment.${RLO}authorized`]: 1 }, duplicateIds: [`d${ZWSP}1`],
    };
    const container = await renderInDom(<DryRunPanel result={{ plan, sandbox, missing: [`d${RLO}7`] }} />);
    const panel = container.querySelector('[data-testid="dlq-dry-result"]')!;
    expect(panel.textContent).not.toMatch(RAW);
    const isolated = [...panel.querySelectorAll('bdi')].map((b) => b.textContent!);
    expect(isolated).toEqual(expect.arrayContaining(['payment.\\u202eauthorized', 'd\\u200b1', 'd\\u202e7']));
    expect(isolated.some((t) => /^pay\\u202ements \/ payment\.x+…$/.test(t))).toBe(true);
    expect(panel.textContent).not.toContain(ROUTING_KEY);
  });
});

describe("the broker's errors and the audit log's details", () => {
  // The broker's refusal quotes the queue or exchange it refused ("NOT_FOUND - no queue '…'"):
  // drawn raw, its override turned the alert round.
  it('a failed browse: the queue the error quotes is isolated, undrawn characters shown', async () => {
    const container = await browsed(() => {
      throw new Error(`NOT_FOUND - no queue '${QUEUE}' in vhost '/'`);
    });
    const error = container.querySelector('[data-testid="dlq-browse-error"]')!;
    expect(error.textContent).not.toMatch(RAW);
    expect(error.textContent).toContain("NOT_FOUND - no queue '");
    expect([...error.querySelectorAll('bdi')].filter((b) => b.textContent!.startsWith('payops.console.'))).toHaveLength(2);
  });

  it("an audit step's detail (a broker's reason) is drawn with the values in it isolated", async () => {
    const entry: RedriveAuditEntry = {
      redriveId: 'r1', at: 0, actor: 'ops', messageId: 'd1', fromQueue: QUEUE, toExchange: EXCHANGE, toRoutingKey: 'k', step: 'failed',
      detail: `not sent, left in the dead-letter queue: NOT_FOUND - no exchange '${EXCHANGE}' in vhost '/'`,
    };
    const container = await renderInDom(<AuditPanel entries={[entry]} error={null} onRefresh={() => undefined} />);
    const result = container.querySelector('[data-testid="dlq-audit-row"] td:last-child')!;
    expect(result.textContent).toBe("failed: not sent, left in the dead-letter queue: NOT_FOUND - no exchange 'pay\\u202ements' in vhost '/'");
  });
});
