// The Alerts view: current alerts (firing first, then pending, then the recently resolved;
// filter by state and by text; acknowledge, silence, resolve notes), the history, the
// silences, the notifications (contact point URLs and the log) and the rule editor, each a
// tab at #/alerts/<tab>. #/alerts?alert=<key> selects one current alert (a notification's click).
import { lazy, Suspense, useDeferredValue, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { AlertView } from '../../../shared/alerts';
import { AlertList, type AlertAction } from '../components/AlertList';
import { useApp } from '../store/appStore';
import { TabList } from '../components/TabList';
import { ALERT_TABS, alertTabOf, countByState, selectedAlertOf, type AlertTab } from '../store/alerts';
import { fmtClockZone, fmtCount } from '../lib/format';
import { AlertActionDialog } from './AlertsActions';
import { AlertsHistory } from './AlertsHistory';
import { AlertsSilences } from './AlertsSilences';
import { AlertsNotifications } from './AlertsNotifications';
import { ContactPointSecrets } from './ContactPointSecrets';
import './rules/rules.css';

const RulesEditor = lazy(() => import('./rules/RulesEditor').then((m) => ({ default: m.RulesEditor })));

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

type Filter = 'active' | 'firing' | 'pending' | 'resolved' | 'all';

const FILTERS: { id: Filter; label: string; match: (a: AlertView) => boolean }[] = [
  { id: 'active', label: 'Active', match: (a) => a.state === 'firing' || a.state === 'pending' || a.state === 'error' || a.state === 'nodata' },
  { id: 'firing', label: 'Firing', match: (a) => a.state === 'firing' },
  { id: 'pending', label: 'Pending', match: (a) => a.state === 'pending' },
  { id: 'resolved', label: 'Resolved', match: (a) => a.state === 'resolved' },
  { id: 'all', label: 'All', match: () => true },
];

export function AlertsPage() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash, () => '');
  const tab = alertTabOf(hash);
  // A line of the view's words, with what came from the events (silence matchers) drawn cut.
  const [status, setStatus] = useState<ReactNode>(null);
  useEffect(() => {
    if (!status) return;
    const t = setTimeout(() => setStatus(null), 8000);
    return () => clearTimeout(t);
  }, [status]);
  const select = (id: AlertTab) => {
    window.location.hash = id === 'current' ? '#/alerts' : `#/alerts/${id}`;
  };

  return (
    <div className="view view-alerts">
      <div className="view-head">
        <h1>Alerts</h1>
      </div>
      <TabList label="Alerts sections" className="tabs" idPrefix="alerts" tabs={ALERT_TABS} selected={tab} onSelect={select} />
      {status ? (
        <div className="result result-ok small alerts-status" role="status" data-testid="alerts-status">
          {status}
        </div>
      ) : null}
      <div role="tabpanel" id="alerts-tabpanel" aria-labelledby={`alerts-tab-${tab}`}>
        {tab === 'current' ? <CurrentAlerts onStatus={setStatus} selectedKey={selectedAlertOf(hash)} /> : null}
        {tab === 'history' ? <AlertsHistory onStatus={setStatus} /> : null}
        {tab === 'silences' ? <AlertsSilences onStatus={setStatus} /> : null}
        {tab === 'notifications' ? (
          <>
            <ContactPointSecrets />
            <AlertsNotifications />
          </>
        ) : null}
        {tab === 'rules' ? (
          <Suspense fallback={<div className="empty">Loading the rule editor…</div>}>
            <RulesEditor onStatus={setStatus} />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Rows the Alerts view draws at most. A per-merchant rule can fire for thousands of merchants,
 * and the list redraws every second (its "since" column): 5,000 rows took 1.7 s to draw, each second.
 */
const ALERT_ROWS_SHOWN = 200;

/** The current alerts' table as the Alerts view draws it: the first ALERT_ROWS_SHOWN in its order, saying how many more. */
export function CurrentAlertList(props: { alerts: AlertView[]; onAction: (action: AlertAction, alert: AlertView) => void; emptyText: string; selectedKey?: string | null; openings?: number }) {
  const n = props.alerts.length;
  const note = `${fmtCount(ALERT_ROWS_SHOWN)} of ${fmtCount(n)} alerts shown, in this order: filter by state, rule or label for the rest`;
  return <AlertList {...props} limit={ALERT_ROWS_SHOWN} moreNote={note} />;
}

export function CurrentAlerts({ onStatus, selectedKey }: { onStatus: (line: ReactNode) => void; selectedKey: string | null }) {
  const alerts = useApp((s) => s.alerts);
  const loadedAt = useApp((s) => s.alertsLoadedAt);
  const openings = useApp((s) => s.alertOpenings);
  const error = useApp((s) => s.alertsError);
  const [filter, setFilter] = useState<Filter>('all');
  const [acting, setActing] = useState<{ action: AlertAction; alert: AlertView } | null>(null);
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim().toLowerCase());
  const counts = countByState(alerts);
  // An alert opened by a notification or a link is shown whatever the filter was.
  useEffect(() => {
    if (selectedKey === null) return;
    setFilter('all');
    setText('');
  }, [selectedKey, openings]);
  const selectedGone = selectedKey !== null && loadedAt !== null && !alerts.some((a) => a.key === selectedKey);
  const shown = useMemo(() => {
    const f = FILTERS.find((x) => x.id === filter) ?? FILTERS[0];
    return alerts.filter(
      (a) =>
        f.match(a) &&
        (!q ||
          a.rule.toLowerCase().includes(q) ||
          a.summary.toLowerCase().includes(q) ||
          Object.entries(a.labels ?? {}).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q))),
    );
  }, [alerts, filter, q]);

  return (
    <>
      <section role="region" aria-label="Alert list" className="panel">
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="Filter by state">
            {FILTERS.map((f) => (
              <button key={f.id} type="button" aria-pressed={filter === f.id} onClick={() => setFilter(f.id)} data-testid={`alerts-filter-${f.id}`}>
                {f.label}
                {f.id === 'firing' ? <span className="seg-count">{counts.firing}</span> : null}
                {f.id === 'pending' ? <span className="seg-count">{counts.pending}</span> : null}
                {f.id === 'resolved' ? <span className="seg-count">{counts.resolved}</span> : null}
              </button>
            ))}
          </div>
          <input
            type="search"
            className="search"
            placeholder="Filter by rule or label"
            aria-label="Filter by rule or label"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="alerts-search"
          />
          <AlertsUpdated error={error} loadedAt={loadedAt} />
        </div>
        {selectedGone ? (
          <div className="result result-info small" role="status" data-testid="alert-selected-gone">
            The alert you opened is no longer among the current alerts: see <a href="#/alerts/history">History</a>.
          </div>
        ) : null}
        <CurrentAlertList
          selectedKey={selectedKey}
          openings={openings}
          alerts={shown}
          onAction={(action, alert) => setActing({ action, alert })}
          emptyText={alerts.length ? 'No alerts match the filter' : loadedAt ? 'No alerts — all rules normal' : 'Alerts not loaded yet'}
        />
      </section>
      {acting ? (
        <AlertActionDialog
          action={acting.action}
          alert={acting.alert}
          onClose={() => setActing(null)}
          onDone={(text) => {
            setActing(null);
            onStatus(text);
          }}
        />
      ) : null}
    </>
  );
}

/** When the list was last read, or that it is being read, or why it could not be. */
export function AlertsUpdated({ error, loadedAt }: { error: string | null; loadedAt: number | null }) {
  return (
    <span className="muted small" data-testid="alerts-updated">
      {error ? <span className="error-text">Alerts unavailable: {error}</span> : loadedAt ? `updated ${fmtClockZone(loadedAt)}` : 'loading…'}
    </span>
  );
}
