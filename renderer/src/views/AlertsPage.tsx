// All alerts: firing first, then pending, then the recently resolved; filter by state
// and by text in the rule or labels.
import { useDeferredValue, useMemo, useState } from 'react';
import type { AlertView } from '../../../shared/alerts';
import { AlertList } from '../components/AlertList';
import { useApp } from '../store/appStore';
import { countByState } from '../store/alerts';
import { fmtClock } from '../lib/format';

type Filter = 'active' | 'firing' | 'pending' | 'resolved' | 'all';

const FILTERS: { id: Filter; label: string; match: (a: AlertView) => boolean }[] = [
  { id: 'active', label: 'Active', match: (a) => a.state === 'firing' || a.state === 'pending' || a.state === 'error' || a.state === 'nodata' },
  { id: 'firing', label: 'Firing', match: (a) => a.state === 'firing' },
  { id: 'pending', label: 'Pending', match: (a) => a.state === 'pending' },
  { id: 'resolved', label: 'Resolved', match: (a) => a.state === 'resolved' },
  { id: 'all', label: 'All', match: () => true },
];

export function AlertsPage() {
  const alerts = useApp((s) => s.alerts);
  const loadedAt = useApp((s) => s.alertsLoadedAt);
  const error = useApp((s) => s.alertsError);
  const [filter, setFilter] = useState<Filter>('all');
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim().toLowerCase());
  const counts = countByState(alerts);
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
    <div className="view view-alerts">
      <div className="view-head">
        <h1>Alerts</h1>
        <span className="muted small" data-testid="alerts-updated">
          {error ? <span className="error-text">Alerts unavailable: {error}</span> : loadedAt ? `updated ${fmtClock(loadedAt)}` : 'loading…'}
        </span>
      </div>
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
        </div>
        <AlertList alerts={shown} emptyText={alerts.length ? 'No alerts match the filter' : loadedAt ? 'No alerts — all rules normal' : 'Alerts not loaded yet'} />
      </section>
    </div>
  );
}
