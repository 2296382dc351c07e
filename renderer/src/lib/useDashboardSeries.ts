// Fetches the dashboard's series for the chosen range from the read worker. While following,
// it asks again every few seconds of engine clock (per-minute rollups change no faster); a
// past range is asked again every PAST_RANGE_REFRESH_MS while events are being stored (late
// ones land in past minutes). The newest request wins; one request in flight at a time.
import { useEffect, useRef, useState } from 'react';
import type { AlertRule } from '../../../shared/alertRules';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import { getClient } from '../api/client';
import { appStore, useApp } from '../store/appStore';
import { rangeWindow, useRange } from '../store/dashboardRange';
import { PAST_RANGE_REFRESH_MS, pastRangeNeedsFetch, type PastRangeFetch } from './rangeRefresh';

const REFRESH_MS = 5000;

export interface SeriesState {
  data: DashboardSeries | null;
  error: string | null;
  loading: boolean;
  window: { fromMs: number; toMs: number } | null;
}

const DISPLAY_TIME_ZONE: string | undefined = Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;

export function useDashboardSeries(): SeriesState {
  const following = useRange((s) => s.following);
  const preset = useRange((s) => s.preset);
  const lastPreset = useRange((s) => s.lastPreset);
  const fromMs = useRange((s) => s.fromMs);
  const toMs = useRange((s) => s.toMs);
  const compare = useRange((s) => s.compare);
  // The view's clock (frozen while paused), in steps of REFRESH_MS so this re-renders rarely.
  const tick = useApp((s) => (s.view.snapshot ? Math.floor(s.view.snapshot.clock / REFRESH_MS) : null));
  const session = useApp((s) => s.snapshot?.session ?? null);
  // A fixed past range's look-again tick (wall time of the view's snapshots, frozen while paused).
  const pastTick = useApp((s) => (following || !s.view.snapshot ? null : Math.floor(s.view.snapshot.at / PAST_RANGE_REFRESH_MS)));
  const pastFetched = useRef<PastRangeFetch | null>(null);
  const win = rangeWindow({ preset, lastPreset, following, fromMs, toMs, compare }, tick === null ? null : tick * REFRESH_MS + REFRESH_MS - 1);
  const [state, setState] = useState<SeriesState>({ data: null, error: null, loading: false, window: null });
  const latest = useRef(0);
  const winFrom = win?.fromMs ?? null;
  const winTo = win?.toMs ?? null;

  useEffect(() => {
    if (winFrom === null || winTo === null) return;
    if (!following) {
      const snap = appStore.getState().view.snapshot;
      const next: PastRangeFetch = { request: `${session}:${winFrom}-${winTo}:${compare}`, storedEvents: snap?.totals.events ?? null, lastEventAt: snap?.lastEventAt ?? null };
      if (!pastRangeNeedsFetch(pastFetched.current, next)) return;
      pastFetched.current = next;
    } else pastFetched.current = null;
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true, window: { fromMs: winFrom, toMs: winTo } }));
    getClient()
      // The zone the charts' times are drawn in: "yesterday" is the same clock time there.
      .invoke('dashboard.series', { fromMs: winFrom, toMs: winTo, compare, timeZone: DISPLAY_TIME_ZONE })
      .then((data) => {
        if (id === latest.current) setState({ data, error: null, loading: false, window: { fromMs: winFrom, toMs: winTo } });
      })
      .catch((err: unknown) => {
        if (id !== latest.current) return;
        // a failed ask (the host away) is asked again on the next look, stored events or not
        pastFetched.current = null;
        setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), loading: false }));
      });
    // `tick` re-asks while following (the window itself moves only once a minute); `pastTick`
    // looks at a past range again, asked only when events were stored since
  }, [winFrom, winTo, compare, following ? tick : pastTick, following, session]);

  return state;
}

/** The session's alert rules (thresholds and baselines drawn on the rate chart). */
export function useAlertRules(): AlertRule[] {
  const session = useApp((s) => s.snapshot?.session ?? null);
  const [rules, setRules] = useState<AlertRule[]>([]);
  useEffect(() => {
    if (session === null) return;
    let live = true;
    getClient()
      .invoke('rules.get', {})
      .then((d) => live && setRules(d.rules))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session]);
  return rules;
}
