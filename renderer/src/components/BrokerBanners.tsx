// Banners about what the broker and the stream say (issue 15): events arriving far behind
// their event time, and broker node alarms (memory, disk: publishers blocked), the node named
// as the broker gives it (isolated: anyone's text).
import { formatDurationMs } from '../../../shared/format';
import { fmtRate } from '../lib/format';
import { useApp } from '../store/appStore';
import { UntrustedText } from './UntrustedText';

export function LateEventsBanner() {
  const late = useApp((s) => s.snapshot?.arrival?.late ?? null);
  if (!late) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="late-events-banner">
      <strong>Late events</strong>
      <span>
        receiving {fmtRate(late.eventsPerSecond)} events/s whose event time is {formatDurationMs(late.behindMs)} behind: backlog or producer clock
      </span>
    </div>
  );
}

export function NodeAlarmBanner() {
  const node = useApp((s) => s.snapshot?.brokerNode ?? null);
  if (!node || !(node.memoryAlarm || node.diskAlarm)) return null;
  const which = [node.memoryAlarm ? 'memory' : null, node.diskAlarm ? 'disk space' : null].filter(Boolean).join(' and ');
  return (
    <div className="banner banner-crit" role="alert" data-testid="broker-alarm-banner">
      <strong>Broker alarm</strong>
      <span>
        {node.node ? <UntrustedText text={node.node} /> : 'The broker'} is low on {which}
        {node.blockingPublishers ? ': it is blocking publishers, producers are stalled' : ''}.
      </span>
    </div>
  );
}
