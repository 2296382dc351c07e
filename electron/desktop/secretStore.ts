// Broker passwords and contact point URL secrets, encrypted with the OS keychain through
// Electron's safeStorage and kept in a file in userData. Never written in plain text: without real OS encryption we refuse to store.
// Takes safeStorage as a parameter so this file does not import electron (see DESIGN.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SafeStorage } from 'electron';
import { writeFileAtomicallySync } from '../core/atomicFile';

/** What the engine side needs to keep a profile's password (keys are profile ids) or a contact point's URL secret. */
export interface SecretStore {
  /** Whether set() can work; `reason` says why not, in words for the operator. */
  availability(): { available: boolean; reason: string | null };
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export class SecretStoreUnavailableError extends Error {}

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

interface SecretFile {
  version: 1;
  /** key -> base64 of the ciphertext. */
  secrets: Record<string, string>;
}

// Profile ids (letters, digits, - and _, at most 64), and contact point URL secrets
// ("contact-point-url:" and a urlSecret of up to 100 letters, digits, _ . -).
const KEY_RE = /^[\w.:-]{1,128}$/;

/**
 * Keys are profile ids, and a profile named "Constructor" has the id `constructor`: on a plain
 * object that key would read Object.prototype's members and `__proto__` would not store at all.
 */
function emptySecrets(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

export function createSafeStorageSecretStore(options: { file: string; safeStorage: SafeStorageLike; platform?: NodeJS.Platform }): SecretStore {
  const { file, safeStorage } = options;
  const platform = options.platform ?? process.platform;

  function availability(): { available: boolean; reason: string | null } {
    if (!safeStorage.isEncryptionAvailable()) {
      return { available: false, reason: 'OS encryption (keychain / DPAPI / secret service) is not available, so passwords are not stored' };
    }
    // On Linux without a keyring Chromium falls back to a hard-coded key: that is not secret.
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      return { available: false, reason: 'no OS keyring (gnome-keyring or KWallet) is running, so passwords are not stored' };
    }
    return { available: true, reason: null };
  }

  function checkKey(key: string): void {
    if (!KEY_RE.test(key)) throw new Error('invalid secret key');
  }

  /** The file's secrets; `unreadable` says why a file that exists could not be read (then it is never overwritten). */
  function read(): { data: SecretFile; unreadable: string | null } {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { data: { version: 1, secrets: emptySecrets() }, unreadable: code === 'ENOENT' ? null : `cannot open it: ${code ?? 'error'}` };
    }
    let parsed: Partial<SecretFile> | null;
    try {
      parsed = JSON.parse(raw) as Partial<SecretFile> | null;
    } catch {
      return { data: { version: 1, secrets: emptySecrets() }, unreadable: 'not JSON' };
    }
    if (!parsed || parsed.version !== 1 || !parsed.secrets || typeof parsed.secrets !== 'object') {
      return { data: { version: 1, secrets: emptySecrets() }, unreadable: 'not a payops secrets file of version 1' };
    }
    const secrets = emptySecrets();
    for (const [k, v] of Object.entries(parsed.secrets)) if (KEY_RE.test(k) && typeof v === 'string') secrets[k] = v;
    return { data: { version: 1, secrets }, unreadable: null };
  }

  function unreadableError(reason: string): SecretStoreUnavailableError {
    return new SecretStoreUnavailableError(`the secrets file ${file} cannot be read (${reason}): saved passwords are unavailable until it is repaired, or until they are saved again`);
  }

  /**
   * A file that cannot be read (a write cut short, another tool's edit) still holds the other
   * profiles' ciphertexts: before a save writes a new file it is moved aside, never overwritten.
   */
  function keepUnreadableAside(): void {
    fs.renameSync(file, `${file}.unreadable-${Date.now()}`);
  }

  function write(data: SecretFile): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomicallySync(file, `${JSON.stringify(data)}\n`, { mode: 0o600 });
  }

  return {
    availability,
    async get(key) {
      checkKey(key);
      const { data, unreadable } = read();
      if (unreadable !== null) throw unreadableError(unreadable);
      const enc = data.secrets[key];
      if (enc === undefined) return null;
      if (!safeStorage.isEncryptionAvailable()) throw new SecretStoreUnavailableError(availability().reason ?? 'encryption unavailable');
      return safeStorage.decryptString(Buffer.from(enc, 'base64'));
    },
    async set(key, secret) {
      checkKey(key);
      const a = availability();
      if (!a.available) throw new SecretStoreUnavailableError(`password not saved: ${a.reason}`);
      const { data, unreadable } = read();
      if (unreadable !== null) keepUnreadableAside();
      data.secrets[key] = safeStorage.encryptString(secret).toString('base64');
      write(data);
    },
    async delete(key) {
      checkKey(key);
      const { data, unreadable } = read();
      if (unreadable !== null || !Object.hasOwn(data.secrets, key)) return false;
      delete data.secrets[key];
      write(data);
      return true;
    },
  };
}
