// The queue panel's texts: the broker node's counts read in the right form ("1 connection", not
// "1 connections"), grouped; what is unknown says so.
import { describe, expect, it } from 'vitest';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import { brokerNodeText } from './queuePanelText';

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
