// The dashboard's time controls: presets that follow now, a custom range, compare with
// yesterday or last week, and a line that says whether the charts follow now or stopped.
// In a replay "now" is the replay's event time.
import { useState } from 'react';
import type { CompareWith } from '../../../shared/dashboardApi';
import { customRangeForm, readCustomRange, type CustomRangeForm } from '../lib/customRange';
import { fmtRange } from '../lib/format';
import { localTimeHint } from '../lib/localTime';
import { useApp } from '../store/appStore';
import { RANGE_PRESETS, useRange } from '../store/dashboardRange';

export function RangePicker({ window, loading }: { window: { fromMs: number; toMs: number } | null; loading: boolean }) {
  const preset = useRange((s) => s.preset);
  const following = useRange((s) => s.following);
  const compare = useRange((s) => s.compare);
  const { choosePreset, fixRange, follow, setCompare } = useRange((s) => s);
  const replay = useApp((s) => s.snapshot?.session === 'replay');
  const paused = useApp((s) => s.paused);
  const [custom, setCustom] = useState<CustomRangeForm | null>(null);
  const [customError, setCustomError] = useState<string | null>(null);
  const clockWord = replay ? 'replay event time' : 'now';

  const openCustom = () => {
    const w = window ?? { fromMs: Date.now() - 3600_000, toMs: Date.now() };
    setCustom(customRangeForm(w));
    setCustomError(null);
  };
  const applyCustom = () => {
    if (!custom) return;
    const range = readCustomRange(custom);
    if ('error' in range) return setCustomError(range.error);
    fixRange(range.fromMs, range.toMs);
    setCustom(null);
  };

  return (
    <div className="range-bar" role="group" aria-label="Time range" data-testid="range-bar">
      <div className="range-presets" role="toolbar" aria-label="Range presets">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`btn btn-small${preset === p.id ? ' btn-active' : ''}`}
            aria-pressed={preset === p.id}
            data-testid={`range-${p.id}`}
            onClick={() => choosePreset(p.id)}
          >
            {p.label}
          </button>
        ))}
        <button type="button" className={`btn btn-small${preset === 'custom' ? ' btn-active' : ''}`} aria-pressed={preset === 'custom'} data-testid="range-custom" onClick={openCustom}>
          Custom…
        </button>
      </div>
      <label className="range-compare small">
        Compare
        <select value={compare} onChange={(e) => setCompare(e.target.value as CompareWith)} data-testid="range-compare">
          <option value="none">off</option>
          <option value="yesterday">yesterday</option>
          <option value="lastWeek">last week</option>
        </select>
      </label>
      <span className={`range-status small${following ? ' following' : ' stopped'}`} role="status" data-testid="range-status" data-following={following}>
        {following ? (
          <>
            {paused ? 'Paused' : 'Live'}: following {clockWord}
            {loading ? ' …' : ''}
          </>
        ) : (
          <>
            Stopped following {clockWord}: {window ? fmtRange(window.fromMs, window.toMs) : 'a past range'}{' '}
            <button type="button" className="btn btn-small" onClick={follow} data-testid="range-follow">
              Back to live
            </button>
          </>
        )}
      </span>
      {custom ? (
        <form
          className="range-custom"
          data-testid="range-custom-form"
          onSubmit={(e) => {
            e.preventDefault();
            applyCustom();
          }}
        >
          <label className="small">
            From <input type="datetime-local" title={localTimeHint()} value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} data-testid="range-custom-from" />
          </label>
          <label className="small">
            To <input type="datetime-local" title={localTimeHint()} value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} data-testid="range-custom-to" />
          </label>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
          <button type="button" className="btn btn-small" onClick={() => setCustom(null)}>
            Cancel
          </button>
          {customError ? (
            <span className="error-text small" role="alert">
              {customError}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
