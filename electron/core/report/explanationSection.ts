// The incident report's explanation (issue 13): where the change happened and why, as triage
// explains it (the same explain over the segment rollups), for the alert's active window or
// the report's own. Masked like every other field of the report (BINs by default).
import { alertWindow, metricOfAlert } from '../../../shared/triage';
import type { AlertHistoryJson } from '../../../shared/alerts';
import type { ReportExplanation } from '../../../shared/explorer';
import type { ReadStore } from '../store/store';
import { explainFromStore } from '../triage/explainService';
import type { Masker } from './masking';

export const REPORT_CONTRIBUTORS = 10;

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

export function explanationIn(store: ReadStore, from: number, to: number, alert: AlertHistoryJson | null, masker: Masker): ReportExplanation | null {
  if (!store.hasTables('segment_minute', 'segment_decline_minute')) return null;
  const newest = store.events.newestTime();
  const window = alert
    ? alertWindow({ activeSince: ms(alert.activeSince), firedAt: ms(alert.firedAt), resolvedAt: ms(alert.resolvedAt ?? alert.endedAt) }, (newest ?? to) + 1)
    : { from, to };
  const e = explainFromStore(store, { ...window, metric: alert ? metricOfAlert(alert) : 'approval-rate' });
  const contributors = e.contributors.filter((c) => c.significant).slice(0, REPORT_CONTRIBUTORS);
  // The headline names segment values too: a masked value is masked there as well.
  let headline = e.headline;
  const masked = contributors.map((c) => {
    const value = String(masker.value(c.dimension, c.value));
    if (value !== c.value) headline = headline.split(c.value).join(value);
    return { ...c, value };
  });
  return {
    metric: e.metric,
    significant: e.significant,
    headline,
    window: e.window,
    baseline: e.baseline,
    contributors: masked.map((c) => ({
      dimension: c.dimension,
      value: c.value,
      effect: c.effect,
      contribution: c.contribution,
      shareOfChange: c.shareOfChange,
      window: c.window,
      baseline: c.baseline,
    })),
  };
}
