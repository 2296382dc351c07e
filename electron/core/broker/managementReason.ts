// Why the management API failed, in its own words: RabbitMQ answers an error with a JSON body
// {"error": ..., "reason": ...}. The reason can be an Erlang term or stack dump with new lines
// and terminal escapes, so it is cleaned of control characters and cut to one readable line.
import { redactSecrets } from '../redact';

/** Characters of the reason kept (an Erlang stack dump runs to kilobytes). */
export const REASON_CHARS = 300;

/** "error: reason" from an error answer's body, cleaned and bounded; null when the body says nothing readable. */
export function managementReason(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object') return null;
  const { error, reason } = json as { error?: unknown; reason?: unknown };
  const parts = [error, reason].map(asText).filter((p): p is string => p !== null && p !== '');
  if (parts.length === 0) return null;
  // A reason that repeats the error ("not_found: not_found") is said once.
  const said = parts.length === 2 && parts[0] === parts[1] ? parts[0] : parts.join(': ');
  return bounded(redactSecrets(said));
}

function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function bounded(text: string): string {
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS)}…` : text;
}
