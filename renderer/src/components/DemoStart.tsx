// "Start demo mode": the built-in generator, for when no broker can be reached.
import { useState } from 'react';
import { getClient } from '../api/client';

type Scenario = 'normal' | 'decline-spike' | 'fraud-burst' | 'stall' | 'issuer-outage' | 'acquirer-degradation' | 'mix-shift' | 'card-testing';

export function DemoStart({ testId = 'demo-start', compact = false }: { testId?: string; compact?: boolean }) {
  const [scenario, setScenario] = useState<Scenario>('decline-spike');
  const [rate, setRate] = useState(200);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await getClient().invoke('demo.start', { scenario, rate });
      if (!res.ok) setError('The engine did not start demo mode.');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={`demo-start${compact ? ' compact' : ''}`}>
      {!compact ? (
        <>
          <label>
            <span>Scenario</span>
            <select value={scenario} onChange={(e) => setScenario(e.target.value as Scenario)} data-testid={`${testId}-scenario`}>
              <option value="decline-spike">decline spike (the story: spike at 30 s for 1 min)</option>
              <option value="normal">normal</option>
              <option value="fraud-burst">fraud burst</option>
              <option value="stall">stall</option>
              <option value="issuer-outage">issuer outage</option>
              <option value="acquirer-degradation">acquirer degradation</option>
              <option value="mix-shift">mix shift</option>
              <option value="card-testing">card testing</option>
            </select>
          </label>
          <label>
            <span>Events / s</span>
            <input
              type="number"
              min={1}
              max={50000}
              value={rate}
              onChange={(e) => setRate(Math.max(1, Math.min(50000, Math.round(Number(e.target.value) || 1))))}
              data-testid={`${testId}-rate`}
            />
          </label>
        </>
      ) : null}
      <button type="button" className="btn btn-primary" onClick={start} disabled={busy} data-testid={testId}>
        {busy ? 'Starting…' : 'Start demo mode'}
      </button>
      {error ? (
        <span className="error-text small" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
