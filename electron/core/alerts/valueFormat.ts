// Metric values as text: shared with the renderer (shared/alertValueFormat.ts), so an alert's
// value reads the same in a summary, the alert list and the KPI beside it.
export { formatMetricSpread, formatMetricValue, rateBasisOf } from '../../../shared/alertValueFormat';
