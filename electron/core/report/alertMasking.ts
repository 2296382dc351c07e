// An alert as the console shows it outside itself (a report, an export, the CLI's listings):
// its labels name fields of the events ("merchant" is merchantId, "cardBin"), and a producer's
// merchant id or BIN may be a card number or an e-mail address. Each label is masked as the
// field it names, and its value wherever the alert's texts repeat it (key, group, summary,
// description, notes).
import type { Masker } from './masking';

/** A label's value as exports show it: labels name fields ("merchant" is merchantId). */
export function maskLabel(label: string, value: string, masker: Masker): string {
  return String(masker.value(label === 'merchant' ? 'merchantId' : label, value));
}

/**
 * The values of masked fields that labels (each a record, or a group's "name=value,...") and
 * silences' matchers name, each with its masked form: alert keys, summaries, notes and comments
 * repeat them in free text ("qa-bin-down/cardBin=510002/...", "approval rate 30 % for cardBin 510002").
 */
export function maskedLabelValues(
  labelled: Iterable<{ labels?: Record<string, string>; group?: string }>,
  matchers: Iterable<{ label: string; op: string; value: string }>,
  masker: Masker,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!masker.enabled) return out;
  const add = (label: string, value: string) => {
    const masked = maskLabel(label, value, masker);
    if (masked !== value) out.set(value, masked);
  };
  for (const a of labelled) {
    for (const [k, v] of Object.entries(a.labels ?? {})) add(k, v);
    // Older records may hold the group only ("cardBin=510002,issuer=x").
    for (const part of (a.group ?? '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) add(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  for (const m of matchers) if (m.op === '=') add(m.label, m.value);
  return out;
}

type Note = { by: string; note: string; at: string } | null;

/** The texts of an alert that repeat its labels and producers' values. */
interface AlertTexts {
  key: string;
  group: string;
  summary: string;
  description?: string;
  runbookUrl?: string;
  acknowledged: Note;
  resolveNote: Note;
}

/** An alert (a report's, or the history's) with its texts masked: its group's value as its label's, the rest by masker.text. */
export function maskAlertTexts<A extends AlertTexts>(a: A, masker: Masker, values: ReadonlyMap<string, string>): A {
  if (!masker.enabled) return a;
  const text = (t: string) => masker.text(t, values);
  const note = (n: Note) => (n ? { ...n, note: text(n.note) } : n);
  return {
    ...a,
    key: text(a.key),
    group: text(a.group.replace(/^(\w+)=(.*)$/, (_m, k: string, v: string) => `${k}=${maskLabel(k, v, masker)}`)),
    summary: text(a.summary),
    ...(a.description === undefined ? {} : { description: text(a.description) }),
    ...(a.runbookUrl === undefined ? {} : { runbookUrl: text(a.runbookUrl) }),
    acknowledged: note(a.acknowledged),
    resolveNote: note(a.resolveNote),
  };
}
