// What the CLI prints of a database or a queue (alerts, notifications, a backtest, an
// explanation, stats, dead letters) is pasted into tickets and chats as an export is mailed: it
// is masked as exports mask it (report/masking.ts), unless --no-mask. A label or a segment names
// the field its value is of ("merchant=...", {dimension: "cardBin", value: "510002"}): the value
// is masked as that field is, and wherever the listing's texts repeat it; every other string
// as free text (card numbers, IBANs, e-mail addresses, phone numbers, credentials).
import type { Command } from 'commander';
import { maskLabel } from '../core/report/alertMasking';
import { Masker, normalizeField } from '../core/report/masking';

/** The masker of a listing: on, unless the operator gave --no-mask. */
export function listingMasker(flags: { mask?: boolean }): Masker {
  return new Masker({ enabled: flags.mask !== false });
}

/** --no-mask, as `payops report` has it. */
export function addNoMaskOption(command: Command): Command {
  return command.option('--no-mask', 'print card numbers, e-mail addresses and other values as stored (masked by default, as exports are; card BINs are shown either way)');
}

/**
 * A label's value as a listing shows it: as exports mask the field it names, except a card BIN.
 * A listing is read on the operator's own screen, and triage names its segments by BIN ("issuer
 * tamarind-card (BIN 529412)"): six digits are no card number (PCI DSS lets the first six be
 * shown), and two BINs masked alike ("52****") could not be told apart or searched for.
 */
function shownLabel(label: string, value: string, masker: Masker): string {
  return normalizeField(label) === 'cardbin' ? value : maskLabel(label, value, masker);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Fields holding a record of labels (name -> value). */
const LABEL_RECORDS = new Set(['labels', 'groupLabels']);

/** Each labelled value of a listing (labels, a "name=value" group, a segment's dimension and value) with its masked form, when masking changes it. */
function labelledValues(value: unknown, masker: Masker, out: Map<string, string>): void {
  const add = (label: string, v: string) => {
    const masked = shownLabel(label, v, masker);
    if (masked !== v) out.set(v, masked);
  };
  if (Array.isArray(value)) {
    for (const v of value) labelledValues(v, masker, out);
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (LABEL_RECORDS.has(k) && isRecord(v)) {
      for (const [label, lv] of Object.entries(v)) if (typeof lv === 'string') add(label, lv);
    } else if (k === 'group' && typeof v === 'string') {
      const eq = v.indexOf('=');
      if (eq > 0) add(v.slice(0, eq), v.slice(eq + 1));
    } else labelledValues(v, masker, out);
  }
  if (typeof value.dimension === 'string' && typeof value.value === 'string') add(value.dimension, value.value);
}

/** A copy of `value` with its labels masked as the fields they name and its other strings (object keys too) as free text. */
function maskedCopy(value: unknown, masker: Masker, values: ReadonlyMap<string, string>, field = ''): unknown {
  const text = (t: string) => masker.text(t, values);
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => maskedCopy(v, masker, values));
  if (!isRecord(value)) return value;
  const labels = LABEL_RECORDS.has(field);
  const segment = typeof value.dimension === 'string' ? value.dimension : null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const masked =
      labels && typeof v === 'string' ? shownLabel(k, v, masker)
      : k === 'value' && segment !== null && typeof v === 'string' ? shownLabel(segment, v, masker)
      : k === 'group' && typeof v === 'string' ? text(v.replace(/^([^=]+)=(.*)$/s, (_m, l: string, lv: string) => `${l}=${shownLabel(l, lv, masker)}`))
      : maskedCopy(v, masker, values, k);
    // A key is data too (an event type, a currency): two keys that mask alike add up, as a report's counts do.
    let key = text(k);
    if (key !== k && Object.hasOwn(out, key)) {
      const before = out[key];
      if (typeof before === 'number' && typeof masked === 'number') {
        out[key] = before + masked;
        continue;
      }
      for (let i = 2; Object.hasOwn(out, key); i++) key = `${text(k)} (${i})`;
    }
    out[key] = masked;
  }
  return out;
}

/** A listing (what a command prints, as JSON or as the text made of it) masked as exports mask: unchanged with --no-mask. */
export function maskedListing<T>(value: T, masker: Masker): T {
  if (!masker.enabled) return value;
  const values = new Map<string, string>();
  labelledValues(value, masker, values);
  return maskedCopy(value, masker, values) as T;
}
