/**
 * Where broker passwords (under profile ids) and contact point URL secrets (under
 * contactPointSecretKey) live. The desktop app backs this with Electron's safeStorage (the
 * OS keychain); the headless web host keeps them in memory for the session only. Never a
 * plain-text file.
 */
export interface SecretStore {
  availability(): { available: boolean; reason: string | null };
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  availability() {
    return { available: true, reason: 'kept in memory for this session only (the desktop app keeps them in the OS keychain)' };
  }
  async get(key: string) {
    return this.secrets.get(key) ?? null;
  }
  async set(key: string, secret: string) {
    this.secrets.set(key, secret);
  }
  async delete(key: string) {
    return this.secrets.delete(key);
  }
}
