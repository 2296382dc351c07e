// Masking for everything that leaves the console (HTML, PDF, CSV, JSON): on by default.
// Card BINs keep their first two digits ("42****"); customer ids, e-mails, phone numbers and
// IBANs become "***"; any other field named in the list is replaced by a keyed hash that is
// stable within one export (so groups still add up) and cannot be reversed or matched
// across exports.
import { createHmac, randomBytes } from 'node:crypto';

/** The default list (field names, compared case-insensitively without "_" or "-"). */
export const DEFAULT_MASK_FIELDS = ['cardBin', 'customerId', 'customer', 'email', 'phone', 'iban'] as const;
/** Any field whose name contains one of these is masked as "***". */
const REDACT_PATTERNS = ['customer', 'email', 'phone', 'iban'];

export interface MaskOptions {
  /** false only when the operator explicitly asked (--no-mask). */
  enabled: boolean;
  /** Extra fields on top of the defaults. */
  extraFields?: readonly string[];
}

export const normalizeField = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export class Masker {
  readonly enabled: boolean;
  readonly fields: string[];
  private readonly exact: Set<string>;
  private readonly key = randomBytes(32);

  constructor(options: MaskOptions) {
    this.enabled = options.enabled;
    this.fields = options.enabled ? [...new Set([...DEFAULT_MASK_FIELDS, ...(options.extraFields ?? [])])] : [];
    this.exact = new Set(this.fields.map(normalizeField));
  }

  /** Whether a field of this name is masked. */
  masks(field: string): boolean {
    if (!this.enabled) return false;
    const n = normalizeField(field);
    return this.exact.has(n) || REDACT_PATTERNS.some((p) => n.includes(p));
  }

  /** The masked form of one value (unchanged when the field is not masked). */
  value<T>(field: string, value: T): T | string {
    if (!this.masks(field) || value === null || value === undefined) return value;
    const n = normalizeField(field);
    if (n === 'cardbin') return maskCardBin(String(value));
    if (REDACT_PATTERNS.some((p) => n.includes(p))) return '***';
    return this.hash(String(value));
  }

  hash(value: string): string {
    return `#${createHmac('sha256', this.key).update(value).digest('hex').slice(0, 10)}`;
  }

  /** A deep copy of a JSON value with every masked field (at any depth) masked. */
  deep(value: unknown, field = ''): unknown {
    if (!this.enabled) return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, field));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = this.masks(k) && (v === null || typeof v !== 'object') ? this.value(k, v) : this.masks(k) ? '***' : this.deep(v, k);
      }
      return out;
    }
    return value;
  }

  /** A stored CloudEvent's JSON text, masked (the envelope keeps its attributes; data is masked). */
  cloudEvent(json: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return { unparsable: true };
    }
    return this.deep(parsed) as Record<string, unknown>;
  }
}

export function maskCardBin(bin: string): string {
  const digits = bin.replace(/\D/g, '');
  return `${digits.slice(0, 2)}****`;
}
