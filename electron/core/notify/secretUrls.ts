// Contact point URLs that carry tokens live in the secret store (the OS keychain in the
// desktop app, memory in the web host; the console's Alerts > Notifications tab sets them),
// or, for headless runs, in the environment variable PAYOPS_SECRET_<NAME>. This keeps
// the resolved values, so every text leaving payops (log lines, errors, the notification log)
// can be scrubbed of them.
import { SECRET_ENV_PREFIX, isHttpUrlText as isHttpUrl, secretEnvName, type ContactPoint } from '../../../shared/notificationConfig';
import { redactSecrets } from '../redact';
import type { SecretStore } from '../secrets/secretStore';

export { SECRET_ENV_PREFIX, secretEnvName };

/**
 * The secret store's key for a contact point's URL secret. The store also keeps broker
 * passwords under profile ids (letters, digits, - and _): the ":" keeps a secret named like a
 * profile ("prod") from ever reading or overwriting that profile's password.
 */
export function contactPointSecretKey(secret: string): string {
  return `contact-point-url:${secret}`;
}

/** "https://hooks.slack.com/…": what may be shown of a secret URL (its path and query hold the token, its login a password). */
export function secretUrlTarget(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return null;
  }
}

export class ContactPointUrls {
  private readonly known = new Set<string>();

  constructor(
    private readonly secrets: SecretStore | null,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The URL to post to, or null (with the reason) when the secret is not set. */
  // Read at every message (not once per session): a secret the operator sets, replaces or
  // clears in the console applies to the running session's next message.
  async resolve(cp: ContactPoint): Promise<{ url: string } | { error: string }> {
    if (cp.url) return { url: cp.url };
    if (!cp.urlSecret) return { error: `${cp.type} contact point "${cp.name}" has no url` };
    const found = await this.lookup(cp.urlSecret);
    if (found.source === null) {
      const other = found.storedNotUrl ? `; the secret store's "${cp.urlSecret}" is not an http(s) URL` : found.storeError ? `; ${found.storeError}` : '';
      return { error: `secret "${cp.urlSecret}" is not set (secret store, or ${secretEnvName(cp.urlSecret)} in the environment)${other}` };
    }
    // A configuration error, said at the start and once per message, not retried as if the network failed.
    if (!isHttpUrl(found.url)) return { error: `secret "${cp.urlSecret}" (${secretEnvName(cp.urlSecret)}) is not an http(s) URL` };
    return { url: found.url };
  }

  /** Where `secret`'s URL comes from now, and what of it may be shown (never the value). */
  async describe(secret: string): Promise<{ source: 'store' | 'environment' | null; target: string | null; problem: string | null }> {
    const found = await this.lookup(secret);
    if (found.source === null) return { source: null, target: null, problem: found.storedNotUrl ? 'the secret store holds a value that is not an http(s) URL' : found.storeError };
    if (!isHttpUrl(found.url)) return { source: found.source, target: null, problem: `${secretEnvName(secret)} is not an http(s) URL` };
    return { source: found.source, target: secretUrlTarget(found.url), problem: null };
  }

  /** The store's URL for `secret`, else PAYOPS_SECRET_<NAME>; every value read is remembered for redact. */
  private async lookup(secret: string): Promise<{ source: 'store' | 'environment'; url: string } | { source: null; storedNotUrl: boolean; storeError: string | null }> {
    // A store that cannot be read (a secrets file cut short, no keychain) falls back to the
    // environment, and is named when neither has the URL: it is not the same as never set.
    let storeError: string | null = null;
    const stored =
      (await this.secrets?.get(contactPointSecretKey(secret)).catch((err: unknown) => {
        storeError = `the secret store cannot be read: ${err instanceof Error ? err.message : String(err)}`;
        return null;
      })) ?? null;
    if (stored) this.remember(stored);
    // A store entry that is no http(s) URL is never posted to, nor said.
    const storedNotUrl = stored !== null && !isHttpUrl(stored);
    if (stored !== null && !storedNotUrl) return { source: 'store', url: stored };
    const fromEnv = this.env[secretEnvName(secret)];
    if (!fromEnv) return { source: null, storedNotUrl, storeError };
    this.remember(fromEnv);
    return { source: 'environment', url: fromEnv };
  }

  /** Any text with every known secret URL (and its path, which holds the token) replaced. */
  redact(text: string): string {
    // The whole URL first, as written and as a URL parser prints it (an error may quote either),
    // and with its password already masked (redactSecrets); then its parts: the token path,
    // the query, and the user:password a fetch refuses to send.
    let out = text;
    for (const form of this.knownForms()) out = out.split(form).join('<secret url>');
    out = redactSecrets(out);
    for (const form of this.knownForms()) {
      const masked = redactSecrets(form);
      if (masked !== form) out = out.split(masked).join('<secret url>');
    }
    for (const secret of this.known) {
      try {
        const u = new URL(secret);
        if (u.pathname.length > 1) out = out.split(u.pathname).join('/<secret>');
        if (u.search) out = out.split(u.search).join('?<secret>');
        // The credentials as basic auth sends them (base64 of the decoded "user:password") and
        // decoded: a receiver's answer may echo the Authorization header or the login it refused.
        const basic = basicAuthTarget(secret).authorization?.replace(/^Basic /, '');
        if (basic) for (const form of new Set([basic, basic.replace(/=+$/, '')])) out = out.split(form).join('<secret>');
        if (u.username) out = out.split(`${u.username}:`).join('<secret>:');
        if (u.password) {
          out = out.split(u.password).join('<secret>');
          const decoded = safeDecode(u.password);
          if (decoded && decoded !== u.password) out = out.split(decoded).join('<secret>');
        }
      } catch {
        // not a URL: the whole value was replaced above
      }
    }
    return out;
  }

  /** Each known secret as given and as `new URL` prints it, longest first. */
  private knownForms(): string[] {
    const forms = new Set<string>();
    for (const secret of this.known) {
      forms.add(secret);
      try {
        forms.add(new URL(secret).href);
      } catch {
        // not a URL
      }
    }
    return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  }

  private remember(url: string): void {
    this.known.add(url);
  }
}


function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * A URL's `user:password@` as an HTTP basic-auth header and the URL without it: fetch refuses
 * a URL that holds credentials, while Alertmanager's webhook (and receivers behind basic auth)
 * expect them sent this way. The header is never logged; the password stays redacted.
 */
export function basicAuthTarget(url: string): { url: string; authorization: string | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, authorization: null };
  }
  if (!u.username && !u.password) return { url, authorization: null };
  // A "%" that is no escape (a password as pasted) is sent as written, not thrown on.
  const credentials = `${safeDecode(u.username) ?? u.username}:${safeDecode(u.password) ?? u.password}`;
  u.username = '';
  u.password = '';
  return { url: u.href, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}
