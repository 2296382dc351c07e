// The console's severity colours come from shared/severity.ts, the scheme the reports print
// with: set as CSS variables (--sev-critical, --sev-critical-bg, ...) on the root element
// for the current theme, so styles.css never holds a second copy of them.
import { SEVERITIES, SEVERITY_COLORS } from '../../../shared/severity';

export function applySeverityColors(root: HTMLElement, theme: 'dark' | 'light'): void {
  for (const s of SEVERITIES) {
    const c = SEVERITY_COLORS[theme][s];
    root.style.setProperty(`--sev-${s}`, c.fg);
    root.style.setProperty(`--sev-${s}-bg`, c.bg);
  }
}
