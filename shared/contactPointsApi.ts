// The API's `contactPoints` service: the URL secrets of the routing's contact points, as
// Grafana's contact point editor treats secure fields. The console says whether each is set
// and where from, never its value (at most the scheme and host: the path holds the token),
// and sets, replaces or clears the one the console keeps in its secret store.
import { z } from 'zod';
import { contactPointNameSchema, isHttpUrlText } from './notificationConfig';

/** The longest URL a contact point secret may be (as a rules file's `url`). */
export const MAX_SECRET_URL_CHARS = 2048;

const NOT_HTTP_URL = 'must be an http(s) URL such as https://hooks.slack.com/services/…';

export const contactPointsRequestSchemas = {
  /** The contact points of the running session's routing that name a `urlSecret`, each with its secret's state. */
  'contactPoints.secrets': z.object({}).strict(),
  /** Sets or replaces the URL kept in the secret store for the contact point's `urlSecret`. */
  'contactPoints.setSecret': z
    .object({
      contactPoint: contactPointNameSchema,
      // The message never repeats the value: it holds a token.
      url: z
        .string({ error: NOT_HTTP_URL })
        .max(MAX_SECRET_URL_CHARS, { error: `must be at most ${MAX_SECRET_URL_CHARS} characters` })
        .transform((url) => url.trim())
        .refine(isHttpUrlText, { error: NOT_HTTP_URL }),
    })
    .strict(),
  /** Removes the console's URL for the contact point's `urlSecret` (PAYOPS_SECRET_<NAME>, if set, applies again). */
  'contactPoints.clearSecret': z.object({ contactPoint: contactPointNameSchema }).strict(),
} as const;

/** Where a contact point's URL comes from now: the console's secret store, the environment, or nowhere. */
export type SecretSource = 'store' | 'environment' | null;

export interface ContactPointSecretView {
  contactPoint: string;
  type: 'webhook' | 'slack';
  /** The rules file's `urlSecret`. */
  secret: string;
  /** PAYOPS_SECRET_<NAME>: what headless runs read, and what the console falls back to. */
  envVariable: string;
  source: SecretSource;
  /** "https://hooks.slack.com/…": the scheme and host of the URL in use, never its path, query or login. */
  target: string | null;
  /** Why a value that is there cannot be used (not an http(s) URL), or null. Never quotes the value. */
  problem: string | null;
}

export interface ContactPointsResults {
  'contactPoints.secrets': {
    contactPoints: ContactPointSecretView[];
    /** Whether the console can keep a secret (the desktop app needs the OS keychain), and why not. */
    store: { available: boolean; reason: string | null };
    /** The rules file the routing is read from (null: none yet, so no contact points). */
    rulesFile: string | null;
    /** Why the rules file's routing could not be read when the session applied it, or null. */
    loadError: string | null;
    /**
     * Why the routing of the rules last saved could not be applied, so the session still routes
     * on (and the list shows) the routing it had before that save; null when it was applied.
     */
    reloadError: string | null;
  };
  'contactPoints.setSecret': ContactPointSecretView;
  'contactPoints.clearSecret': { cleared: boolean; contactPoint: ContactPointSecretView };
}
