// The queue panel's texts: the broker node's counts read in the right form ("1 connection", not
// "1 connections"), grouped; what is unknown says so.
import { describe, expect, it } from 'vitest';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import { brokerNodeText, queuesEmptyText } from './queuePanelText';

const node = (connections: number | null, channels: number | null, error: string | null = null): BrokerNodeHealth => ({
  at: 0, node: 'rabbit@mq1', memoryAlarm: false, diskAlarm: false, blockingPublishers: false, connections, channels, error,
});

describe('the broker node in the queue panel header', () => {
  it('counts its connections and channels in the right form, grouped', () => {
    expect(brokerNodeText(node(1, 1))).toBe(' · rabbit@mq1: 1 connection, 1 channel');
    expect(brokerNodeText(node(2, 1200))).toBe(' · rabbit@mq1: 2 connections, 1,200 channels');
  });

  it('says what it does not know, and nothing when the management API could not be read', () => {
    expect(brokerNodeText(node(null, 3))).toBe(' · rabbit@mq1: ? connections, 3 channels');
    expect(brokerNodeText(node(1, 1, 'HTTP 401'))).toBe('');
    expect(brokerNodeText(null)).toBe('');
  });
});

describe('the empty queue list says why it is empty', () => {
  it('not connected: says so', () => {
    for (const state of [null, 'idle', 'disconnected', 'lost'] as const) expect(queuesEmptyText(state, null)).toBe('Not connected to a broker: no queues to show');
  });

  it('connecting: says the queues show once connected', () => {
    expect(queuesEmptyText('connecting', null)).toBe('Connecting to the broker: its queues show once connected');
    expect(queuesEmptyText('reconnecting', null)).toBe('Connecting to the broker: its queues show once connected');
  });

  it('connected: not "not connected"; names its own queue, and how to watch others', () => {
    const shown = queuesEmptyText('connected', 'payops.console.7f3a');
    expect(shown).not.toContain('Not connected');
    expect(shown).toBe(
      "Connected; no queue sampled yet: this console's own queue (payops.console.7f3a) shows after the first poll, every 2 s. To watch other queues, list them in Settings → Watched queues and press Connect.",
    );
    expect(queuesEmptyText('connected', null)).toContain("this console's own queue shows after");
  });

  it('a demo or a replay has no broker', () => {
    expect(queuesEmptyText('demo', null)).toBe('The demo runs without a broker: no queues to show');
    expect(queuesEmptyText('replay', null)).toBe('A replay reads a capture, not a broker: no queues to show');
  });
});
