// @vitest-environment happy-dom
// The dead-letter queue list when a refresh fails after a read that found none. Before, the
// failure and the earlier read's "No dead-letter queue found" showed together, the second
// claiming what could not be read just now, and nothing offered to read again but the header's
// Refresh. Now the failure shows alone, with Try again, until a read answers.
//
// The engine's API is the preload's `window.payops`, answering as the engine would.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { PayopsApi } from '../../../shared/api';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { answerCalls } from '../testing/preloadApi';
import { DeadLetters } from './DeadLetters';

useDomRoots();

describe('the dead-letter queue list after a failed refresh', () => {
  it('shows only the failure, with Try again, until a read answers', async () => {
    let brokerUp = true;
    const invoke = (async (name: string) => {
      if (name === 'deadLetters.audit') return { entries: [] };
      if (name === 'deadLetters.queues') {
        if (!brokerUp) throw new Error('management API unreachable');
        return { queues: [], readOnly: false };
      }
      throw new Error(`not in this test: ${name}`);
    }) as PayopsApi['invoke'];
    answerCalls(invoke);
    const container = await renderInDom(<DeadLetters />);
    const queues = () => container.querySelector('[data-testid="dlq-queues"]')!;
    const button = (label: string) => [...queues().querySelectorAll('button')].find((b) => b.textContent === label);
    expect(queues().textContent).toContain('No dead-letter queue found');

    brokerUp = false;
    await act(async () => button('Refresh')!.click());
    expect(queues().textContent).toContain('management API unreachable');
    expect(queues().textContent).not.toContain('No dead-letter queue found');
    expect(button('Try again')).toBeDefined();

    brokerUp = true;
    await act(async () => button('Try again')!.click());
    expect(queues().querySelector('[role="alert"]')).toBeNull();
    expect(queues().textContent).toContain('No dead-letter queue found');
  });
});

describe('the browsed dead-letter queue', () => {
  // Its name is the broker's: drawn raw in the heading and the empty line, an override turned
  // them round and a 255-byte name ran across the panel with its end (its id) lost to the CSS.
  it('names it as the list does: isolated, undrawn characters shown, cut in the middle', async () => {
    const name = `payops.console.${'h'.repeat(120)}.\u202eid42.dlq`;
    const invoke = (async (call: string) => {
      if (call === 'deadLetters.audit') return { entries: [] };
      if (call === 'deadLetters.queues') return { queues: [{ name, messages: 0, reasons: ['name'], feeders: [] }], readOnly: false };
      if (call === 'deadLetters.browse') return { messages: [] };
      throw new Error(`not in this test: ${call}`);
    }) as PayopsApi['invoke'];
    answerCalls(invoke);
    const container = await renderInDom(<DeadLetters />);
    await act(async () => container.querySelector<HTMLButtonElement>('.dlq-name')!.click());
    const section = container.querySelector('[data-testid="dlq-messages"]')!;
    expect(section.getAttribute('aria-label')).toBe(`Messages of payops.console.${'h'.repeat(120)}.\\u202eid42.dlq`);
    const text = section.textContent!;
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('h'.repeat(120));
    const heading = section.querySelector('h2')!;
    expect(heading.querySelector('bdi')?.textContent).toMatch(/^payops\.console\.h+…h+\.\\u202eid42\.dlq$/);
    expect(text).toMatch(/…h+\.\\u202eid42\.dlq is empty\./);
  });
});
