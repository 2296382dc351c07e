// The live dashboard: KPI tiles, throughput and queue depth charts, alerts, connection.
import { memo, useDeferredValue, useMemo } from 'react';
import { KpiTiles } from '../components/Kpis';
import { QueueDepthChart } from '../components/QueueDepthChart';
import { ThroughputChart } from '../components/ThroughputChart';
import { ConnectionPanel } from '../components/ConnectionPanel';
import { ArrivalChart } from '../components/ArrivalChart';
import { QueuePanel } from '../components/QueuePanel';
import { AlertList } from '../components/AlertList';
import { DemoStart } from '../components/DemoStart';
import { RangeCharts } from '../components/DashboardCharts';
import { useApp } from '../store/appStore';
import type { AppState } from '../store/store';
import { useStaggered } from '../lib/hooks';
import { DEFAULT_WINDOW_SECONDS } from '../store/series';
import { countByState } from '../store/alerts';

const nowSecOf = (s: { view: { snapshot: { clock: number } | null } }) =>
  s.view.snapshot ? Math.floor(s.view.snapshot.clock / 1000) : null;

const QUEUE_DEPTH_DRAW_DELAY_MS = 250;

/** A live series with the clock second it is drawn at, as one value (they change together). */
function useLiveSeries<P>(select: (s: AppState) => P): { points: P; nowSec: number | null } {
  const points = useApp(select);
  const nowSec = useApp(nowSecOf);
  return useMemo(() => ({ points, nowSec }), [points, nowSec]);
}

const ThroughputPanel = memo(function ThroughputPanel() {
  // Deferred: React draws the new second in a render it can interrupt (the stacked chart is the
  // dashboard's most expensive), so input and the rest of the page never wait for it.
  const live = useDeferredValue(useLiveSeries((s) => s.view.throughput));
  const theme = useApp((s) => s.theme);
  const arrival = useApp((s) => s.view.snapshot?.arrival ?? null);
  return (
    <section role="region" aria-label="Throughput" className="panel" data-testid="panel-throughput">
      <header className="panel-head">
        <h2>Throughput</h2>
        <span className="muted small">events/s by type · last {DEFAULT_WINDOW_SECONDS / 60} min</span>
      </header>
      <ThroughputChart points={live.points} nowSec={live.nowSec} windowSeconds={DEFAULT_WINDOW_SECONDS} theme={theme} />
      <ArrivalChart arrival={arrival} theme={theme} />
    </section>
  );
});

const QueueDepthPanel = memo(function QueueDepthPanel() {
  // Drawn a quarter of a second after the throughput chart, which changes in the same snapshot.
  const live = useStaggered(useLiveSeries((s) => s.view.queueDepth), QUEUE_DEPTH_DRAW_DELAY_MS);
  const theme = useApp((s) => s.theme);
  const watched = useApp((s) => s.view.snapshot?.queues.length ?? 0);
  return (
    <section role="region" aria-label="Queue depth" className="panel" data-testid="panel-queue-depth">
      <header className="panel-head">
        <h2>Queue depth</h2>
        <span className="muted small">messages per watched queue · last {DEFAULT_WINDOW_SECONDS / 60} min</span>
      </header>
      <QueueDepthChart
        points={live.points}
        nowSec={live.nowSec}
        windowSeconds={DEFAULT_WINDOW_SECONDS}
        theme={theme}
        emptyText={watched ? 'No queue depth samples yet' : 'No watched queues: add them to the broker profile in Settings'}
      />
    </section>
  );
});

const AlertsPanel = memo(function AlertsPanel() {
  const alerts = useApp((s) => s.alerts);
  const error = useApp((s) => s.alertsError);
  const loaded = useApp((s) => s.alertsLoadedAt !== null);
  const transportDown = useApp((s) => s.transport?.state !== 'open');
  const counts = countByState(alerts);
  return (
    <section role="region" aria-label="Alerts" className="panel" data-testid="panel-alerts">
      <header className="panel-head">
        <h2>Alerts</h2>
        <span className="counts small">
          <span className="count count-firing" data-testid="alerts-firing-count">
            {counts.firing} firing
          </span>
          <span className="count count-pending" data-testid="alerts-pending-count">
            {counts.pending} pending
          </span>
        </span>
        <a className="panel-link small" href="#/alerts">
          All alerts
        </a>
      </header>
      {error && !transportDown ? (
        <div className="error-text small" data-testid="alerts-error">
          Alerts unavailable: {error}
        </div>
      ) : null}
      <AlertList alerts={alerts} limit={8} compact emptyText={loaded ? 'No alerts — all rules normal' : 'Alerts not loaded yet'} />
    </section>
  );
});

function NoBrokerHint() {
  const state = useApp((s) => s.snapshot?.connection.state ?? null);
  const session = useApp((s) => s.snapshot?.session ?? null);
  const lastError = useApp((s) => s.snapshot?.connection.lastError ?? null);
  // The engine keeps retrying in the background; a retry that has failed once means unreachable.
  const unreachable = state === 'disconnected' || ((state === 'connecting' || state === 'reconnecting') && lastError !== null);
  if (session !== 'live' || (state !== 'idle' && !unreachable)) return null;
  return (
    <div className="hint" data-testid="no-broker-hint">
      <span>
        {state === 'idle' ? 'No broker connected.' : 'The broker cannot be reached.'} Configure a profile in{' '}
        <a href="#/settings">Settings</a>, or try the console with generated events:
      </span>
      <DemoStart testId="dashboard-demo-start" compact />
    </div>
  );
}

export function Dashboard() {
  return (
    <div className="view view-dashboard">
      <h1 className="sr-only">Dashboard</h1>
      <NoBrokerHint />
      <KpiTiles />
      <div className="dash-grid">
        <div className="dash-main">
          <RangeCharts />
          <ThroughputPanel />
          <QueueDepthPanel />
          <QueuePanel />
        </div>
        <div className="dash-side">
          <AlertsPanel />
          <section className="panel" aria-label="Broker connection" data-testid="panel-connection">
            <header className="panel-head">
              <h2>Broker connection</h2>
            </header>
            <ConnectionPanel />
          </section>
        </div>
      </div>
    </div>
  );
}
