import fs from 'node:fs';
import path from 'node:path';
import { brokerProfileSchema, type BrokerProfile, type BrokerProfileView } from '../../../shared/profiles';
import type { BrokerConfig } from '../broker/brokerConfig';
import { decodeUrlCredential } from '../broker/urlCredential';
import { profileQueue } from '../broker/consoleQueue';
import type { SecretStore } from '../secrets/secretStore';
import { writeFileAtomicallySync } from '../atomicFile';
import { redactUrl } from '../redact';

interface ProfileFile {
  activeId: string | null;
  profiles: BrokerProfile[];
}

// Keys are profile ids: the desktop secret store accepts [\w-]{1,64}, like profile ids.
const secretKey = (id: string) => id;

/**
 * Splits a password out of a URL: the file keeps the URL without it, the secret store the
 * password. A URL that cannot be read is refused (its error redacted): kept as it is, a
 * password in it would be written in plain text and sent back to the renderer.
 */
export function splitPassword(url: string): { url: string; password: string | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a valid URL: ${redactUrl(url)}`);
  }
  if (!u.password) return { url, password: null };
  const password = decodeUrlCredential(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

function withPassword(url: string, password: string | null): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Broker profiles in `<configDir>/profiles.json` (no passwords), passwords in the SecretStore. */
export class ProfileStore {
  private readonly file: string;

  constructor(
    configDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(configDir, 'profiles.json');
  }

  private read(): ProfileFile {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as ProfileFile;
      const profiles = (raw.profiles ?? []).flatMap((p) => {
        const parsed = brokerProfileSchema.safeParse(p);
        return parsed.success ? [parsed.data] : [];
      });
      return { activeId: raw.activeId ?? null, profiles };
    } catch {
      return { activeId: null, profiles: [] };
    }
  }

  private write(content: ProfileFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomicallySync(this.file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  }

  async list(): Promise<{ profiles: BrokerProfileView[]; activeId: string | null }> {
    const content = this.read();
    const profiles = await Promise.all(
      content.profiles.map(async (p) => ({ ...p, hasPassword: (await this.secrets.get(secretKey(p.id))) !== null })),
    );
    return { profiles, activeId: content.activeId };
  }

  async save(profile: BrokerProfile, password?: string): Promise<BrokerProfileView> {
    const split = splitPassword(profile.url);
    const secret = password ?? split.password;
    // The stored password stays with the profile: refused if it now points somewhere else.
    if (!secret) await this.storedPasswordFor(profile);
    if (secret) {
      const availability = this.secrets.availability();
      if (!availability.available) throw new Error(`cannot keep the broker password safely: ${availability.reason}`);
      await this.secrets.set(secretKey(profile.id), secret);
    }
    const stored: BrokerProfile = { ...profile, url: split.url };
    const content = this.read();
    const index = content.profiles.findIndex((p) => p.id === profile.id);
    if (index >= 0) content.profiles[index] = stored;
    else content.profiles.push(stored);
    this.write(content);
    return { ...stored, hasPassword: (await this.secrets.get(secretKey(profile.id))) !== null };
  }

  async delete(id: string): Promise<boolean> {
    const content = this.read();
    const before = content.profiles.length;
    content.profiles = content.profiles.filter((p) => p.id !== id);
    if (content.activeId === id) content.activeId = null;
    this.write(content);
    await this.secrets.delete(secretKey(id));
    return content.profiles.length < before;
  }

  setActive(id: string | null): void {
    const content = this.read();
    content.activeId = id;
    this.write(content);
  }

  storedPassword(id: string): Promise<string | null> {
    return this.secrets.get(secretKey(id));
  }

  /**
   * The password to use for `profile` as the operator edits it (a connection test): the one
   * typed, in the field or the URL, else the stored one, as long as the profile still points
   * at the broker it was saved for.
   */
  async passwordFor(profile: BrokerProfile, typed?: string): Promise<string | null> {
    return typed ?? splitPassword(profile.url).password ?? (await this.storedPasswordFor(profile));
  }

  /**
   * The stored password of `profile.id`, or null when none is stored. Throws when the profile
   * now sends its credentials elsewhere (another host, port, scheme, user or management API):
   * otherwise whoever can edit a profile, or a typo in a host name, gets the password sent to
   * a server of their choosing.
   */
  private async storedPasswordFor(profile: BrokerProfile): Promise<string | null> {
    const stored = await this.secrets.get(secretKey(profile.id));
    if (stored === null) return null;
    const saved = this.read().profiles.find((p) => p.id === profile.id);
    if (saved && sendsCredentialsWhereSaved(saved, profile)) return stored;
    const was = saved ? ` (saved for ${redactUrl(saved.url)})` : '';
    throw new Error(
      `profile "${profile.id}" now points at ${redactUrl(splitPassword(profile.url).url)}${was}: type its password again; a stored password is sent only to the broker it was saved for`,
    );
  }

  /** The broker configuration of a profile, password put back into the URL (in memory only). */
  async brokerConfig(id: string): Promise<BrokerConfig | null> {
    const profile = this.read().profiles.find((p) => p.id === id);
    if (!profile) return null;
    return toBrokerConfig(profile, await this.secrets.get(secretKey(id)));
  }
}

const DEFAULT_AMQP_PORTS: Readonly<Record<string, string>> = { 'amqp:': '5672', 'amqps:': '5671' };

/** Where a profile sends the password: the broker's scheme, user, host and port. */
function brokerTarget(url: string): string {
  const u = new URL(splitPassword(url).url);
  return `${u.protocol}//${decodeUrlCredential(u.username)}@${u.hostname.toLowerCase()}:${u.port || DEFAULT_AMQP_PORTS[u.protocol.toLowerCase()] || ''}`;
}

/** The origin of a management API named on its own; null when derived from the broker's host or off. */
function managementTarget(managementUrl: string | undefined): string | null {
  const m = managementUrl?.trim();
  if (!m || m === 'off') return null;
  try {
    return new URL(m).origin;
  } catch {
    return m;
  }
}

/** True when `next` sends credentials only where `saved` did (the derived management API is the broker's host). */
function sendsCredentialsWhereSaved(saved: BrokerProfile, next: BrokerProfile): boolean {
  const management = managementTarget(next.managementUrl);
  return brokerTarget(saved.url) === brokerTarget(next.url) && (management === null || management === managementTarget(saved.managementUrl));
}

export function toBrokerConfig(profile: BrokerProfile, password: string | null): BrokerConfig {
  return {
    url: withPassword(profile.url, password),
    exchange: profile.exchange,
    exchangeType: profile.exchangeType,
    bindings: profile.bindings,
    // A profile saved with the old default name ("payops.console") means the default: the
    // console's own queue (every console sharing that one split the traffic).
    queue: profileQueue(profile.queue),
    queueType: profile.queueType,
    queueExpiresMs: profile.queueExpiresHours === undefined ? undefined : Math.round(profile.queueExpiresHours * 3_600_000),
    prefetch: profile.prefetch,
    watchQueues: profile.watchQueues,
    managementUrl: profile.managementUrl,
  };
}
