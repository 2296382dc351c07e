// One severity colour scheme for everything that shows an alert: the console (both themes)
// and the reports (HTML and PDF, which print on white, the light theme's colours). The
// renderer sets its CSS variables --sev-<severity> and --sev-<severity>-bg from here
// (renderer/src/lib/severityColors.ts); reportHtml.ts writes the same values. Critical is
// red, warning amber, info blue, as Grafana, Alertmanager and PagerDuty show them.
import type { Severity } from './alerts';

export interface SeverityColor {
  /** Text, dot and border colour. */
  fg: string;
  /** Badge background. */
  bg: string;
}

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export const SEVERITY_COLORS: Record<'dark' | 'light', Record<Severity, SeverityColor>> = {
  dark: {
    critical: { fg: '#f85149', bg: 'rgba(248, 81, 73, 0.15)' },
    warning: { fg: '#d29922', bg: 'rgba(210, 153, 34, 0.16)' },
    info: { fg: '#58a6ff', bg: 'rgba(88, 166, 255, 0.15)' },
  },
  light: {
    critical: { fg: '#c4161c', bg: 'rgba(207, 34, 46, 0.09)' },
    warning: { fg: '#8a5a00', bg: 'rgba(191, 135, 0, 0.14)' },
    info: { fg: '#0a63c9', bg: 'rgba(10, 99, 201, 0.1)' },
  },
};

/** The colour of a severity on a theme; an unknown severity reads as info. */
export function severityColor(severity: string, theme: 'dark' | 'light' = 'light'): SeverityColor {
  const known = SEVERITIES.find((s) => s === severity);
  return SEVERITY_COLORS[theme][known ?? 'info'];
}
