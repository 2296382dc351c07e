// Makes an engine session a follower console: no raw events, the collector's metrics stream
// instead. Figures move with the rollups applied, alerts are the collector's, and the badge
// says "following <stream>".
import type { AlertNotification } from '../../../shared/alerts';
import type { SessionStatus } from '../../../shared/metrics';
import type { Engine } from '../engine/engine';
import type { Store } from '../store/store';
import { followedNotifications, type FollowedTransitions } from './followedAlerts';
import type { FollowConfig } from './metricsStreamConfig';
import { MetricsFollower, type FollowerStatus } from './metricsFollower';

export function followStatus(s: FollowerStatus, stream: string): SessionStatus {
  switch (s.state) {
    case 'following':
      return { state: 'following', since: s.since, lastReceivedAt: s.lastReceivedAt, detail: stream };
    case 'reconnecting':
      return { state: 'lost', since: s.since, lastReceivedAt: s.lastReceivedAt, detail: s.lastError };
    default:
      return { state: 'connecting', since: s.since, lastReceivedAt: s.lastReceivedAt, detail: s.lastError };
  }
}

export function wireFollower(engine: Engine, store: Store, config: FollowConfig, emit: { log(line: string): void; alert?(n: AlertNotification): void }): MetricsFollower {
  const seen: FollowedTransitions = new Map();
  const follower = new MetricsFollower({
    url: config.url,
    stream: config.stream,
    store,
    log: emit.log,
    onApplied: (outcome) => {
      engine.observeFollowed(outcome.appliedMessages);
      for (const n of followedNotifications(outcome.appliedMessages, Date.now(), seen)) emit.alert?.(n);
    },
  });
  engine.overrideStatus(() => followStatus(follower.status, config.stream));
  engine.onStop(() => follower.stop());
  return follower;
}
