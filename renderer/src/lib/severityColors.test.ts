import { describe, expect, it } from 'vitest';
import { SEVERITY_COLORS } from '../../../shared/severity';
import { applySeverityColors } from './severityColors';

describe('severity colours', () => {
  it('are the shared scheme the reports print with, for each theme', () => {
    for (const theme of ['dark', 'light'] as const) {
      const set = new Map<string, string>();
      const root = { style: { setProperty: (k: string, v: string) => set.set(k, v) } } as unknown as HTMLElement;
      applySeverityColors(root, theme);
      expect(set.get('--sev-critical')).toBe(SEVERITY_COLORS[theme].critical.fg);
      expect(set.get('--sev-warning-bg')).toBe(SEVERITY_COLORS[theme].warning.bg);
      expect(set.get('--sev-info')).toBe(SEVERITY_COLORS[theme].info.fg);
    }
    // Red for critical, amber for warning, on both themes (the report used amber for critical).
    expect(SEVERITY_COLORS.light.critical.fg).toBe('#c4161c');
  });
});
