// The live dashboard: KPI tiles, throughput and queue depth charts, alerts, connection.
import { memo } from 'react';
import { KpiTiles } from '../components/Kpis';
import { QueueDepthChart, ThroughputChart } from '../components/Charts';
import { ConnectionPanel } from '../components/ConnectionPanel';
import { ArrivalChart } from '../components/ArrivalChart';
import { QueuePanel } from '../components/QueuePanel';
import { AlertList } from '../components/AlertList';
import { DemoStart } from '../components/DemoStart';
import { RangeCharts } from '../components/DashboardCharts';
import { useApp } from '../store/appStore';
import { DEFAULT_WINDOW_SECONDS } from '../store/series';
import { countByState } from '../store/alerts';

const nowSecOf = (s: { view: { snapshot: { clock: number } | null } }) =>
  s.view.snapshot ? Math.floor(s.view.snapshot.clock / 1000) : null;

const ThroughputPanel = memo(function ThroughputPanel() {
  const points = useApp((s) => s.view.throughput);
  const nowSec = useApp(nowSecOf);
  const theme = useApp((s) => s.theme);
  const arrival = useApp((s) => s.view.snapshot?.arrival ?? null);
  return (
    <section role="region" aria-label="Throughput" className="panel" data-testid="panel-throughput">
      <header className="panel-head">
        <h2>Throughput</h2>
        <span className="muted small">events/s by type · last {DEFAULT_WINDOW_SECONDS / 60} min</span>
      </header>
      <ThroughputChart points={points} nowSec={nowSec} windowSeconds={DEFAULT_WINDOW_SECONDS} theme={theme} />
      <ArrivalChart arrival={arrival} theme={theme} />
    </section>
  );
});

const QueueDepthPanel = memo(function QueueDepthPanel() {
  const points = useApp((s) => s.view.queueDepth);
  const nowSec = useApp(nowSecOf);
  const theme = useApp((s) => s.theme);
  const watched = useApp((s) => s.view.snapshot?.queues.length ?? 0);
  return (
    <section role="region" aria-label="Queue depth" className="panel" data-testid="panel-queue-depth">
      <header className="panel-head">
        <h2>Queue depth</h2>
        <span className="muted small">messages per watched queue · last {DEFAULT_WINDOW_SECONDS / 60} min</span>
      </header>
      <QueueDepthChart
        points={points}
        nowSec={nowSec}
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
