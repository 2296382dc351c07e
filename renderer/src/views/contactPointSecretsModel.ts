// What the contact point secrets panel says: where each URL comes from (never the value, at
// most its scheme and host) and why a typed URL is refused before it is sent.
import type { ContactPointSecretView } from '../../../shared/contactPointsApi';
import { isHttpUrlText } from '../../../shared/notificationConfig';

export const SECRET_URL_REFUSED = 'Must be an http(s) URL such as https://hooks.slack.com/services/…';

/** The state of a contact point's URL secret, in words. */
export function secretStateText(v: ContactPointSecretView): string {
  if (v.problem) return v.problem;
  if (v.source === 'store') return `set in the console: ${v.target ?? 'an http(s) URL'}`;
  if (v.source === 'environment') return `from ${v.envVariable}: ${v.target ?? 'an http(s) URL'}`;
  return `not set: its notifications fail (set it here, or ${v.envVariable} for headless runs)`;
}

/** Why a typed URL cannot be saved, or null. The message never repeats the URL (it holds a token). */
export function secretUrlProblem(text: string): string | null {
  if (text.trim() === '') return 'Type the URL, or Cancel';
  return isHttpUrlText(text) ? null : SECRET_URL_REFUSED;
}
