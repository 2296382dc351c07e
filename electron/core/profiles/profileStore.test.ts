// A broker password typed in a profile's URL goes to the secret store and nowhere else: not
// profiles.json, not the view sent back to the renderer. Real files in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerProfile } from '../../../shared/profiles';
import { brokerProfileSchema } from '../../../shared/profiles';
import { MemorySecretStore } from '../secrets/secretStore';
import { ProfileStore } from './profileStore';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-profiles-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const profile = (url: string): BrokerProfile => brokerProfileSchema.parse({ id: 'p1', name: 'one', url });
const profilesFile = () => (fs.existsSync(path.join(dir, 'profiles.json')) ? fs.readFileSync(path.join(dir, 'profiles.json'), 'utf8') : '');

describe('ProfileStore: passwords typed in the URL', () => {
  it('moves a password holding a literal % (no escape) to the secret store, and gives it back as typed', async () => {
    const store = new ProfileStore(dir, new MemorySecretStore());
    const view = await store.save(profile('amqp://guest:50%off@127.0.0.1:5672'));
    expect(view).toMatchObject({ url: 'amqp://guest@127.0.0.1:5672', hasPassword: true });
    expect(profilesFile()).not.toContain('50%off');
    expect(JSON.stringify(await store.list())).not.toContain('50%off');
    expect(await store.storedPassword('p1')).toBe('50%off');
    const config = await store.brokerConfig('p1');
    expect(decodeURIComponent(new URL(config!.url).password)).toBe('50%off');
  });

  it('still decodes the escapes of a password that has them', async () => {
    const store = new ProfileStore(dir, new MemorySecretStore());
    await store.save(profile('amqp://guest:p%40ss%2Fw@127.0.0.1:5672'));
    expect(await store.storedPassword('p1')).toBe('p@ss/w');
  });

  it('refuses a URL it cannot read rather than keep what may be a password in it', async () => {
    const store = new ProfileStore(dir, new MemorySecretStore());
    const saving = store.save(profile('amqp://guest:hunter2@127.0.0.1:notaport'));
    await expect(saving).rejects.toThrow('not a valid URL: amqp://guest:***@127.0.0.1:notaport');
    await expect(saving).rejects.not.toThrow(/hunter2/);
    expect(profilesFile()).not.toContain('hunter2');
    expect((await store.list()).profiles).toEqual([]);
  });
});

describe('ProfileStore: a stored password goes only to the broker it was saved for', () => {
  const saved = (url: string, extra: Partial<BrokerProfile> = {}): BrokerProfile =>
    brokerProfileSchema.parse({ id: 'prod', name: 'prod', url, ...extra });

  async function storeWithProd(): Promise<ProfileStore> {
    const store = new ProfileStore(dir, new MemorySecretStore());
    await store.save(saved('amqp://ops:s3cret-prod@rabbit.internal:5672/payments'));
    return store;
  }

  it('gives the stored password for the same broker, whatever else changed', async () => {
    const store = await storeWithProd();
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672/payments', { exchange: 'other' }))).toBe('s3cret-prod');
    expect(await store.passwordFor(saved('amqp://ops@RABBIT.internal/payments'))).toBe('s3cret-prod');
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672/other-vhost'))).toBe('s3cret-prod');
    // Typed (in the field or the URL) wins over the stored one.
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672'), 'typed')).toBe('typed');
    expect(await store.passwordFor(saved('amqp://ops:in-url@rabbit.internal:5672'))).toBe('in-url');
  });

  it('refuses to send it to another host, port, scheme, user or management API', async () => {
    const store = await storeWithProd();
    for (const next of [
      saved('amqp://ops@attacker.example:5672/payments'),
      saved('amqp://ops@rabbit.internal:5673/payments'),
      saved('amqps://ops@rabbit.internal:5672/payments'),
      saved('amqp://admin@rabbit.internal:5672/payments'),
      saved('amqp://ops@rabbit.internal:5672/payments', { managementUrl: 'http://127.0.0.1:9/' }),
    ]) {
      const asking = store.passwordFor(next);
      await expect(asking).rejects.toThrow(/type its password again/);
      await expect(asking).rejects.not.toThrow(/s3cret-prod/);
      // Saving the profile that way would carry the password over just the same.
      await expect(store.save(next)).rejects.toThrow(/type its password again/);
    }
    expect((await store.list()).profiles[0].url).toBe('amqp://ops@rabbit.internal:5672/payments');
    // With the password typed again, both work.
    expect(await store.passwordFor(saved('amqp://ops@attacker.example:5672'), 'other')).toBe('other');
    await store.save(saved('amqp://ops@rabbit2.internal:5672'), 'other');
    expect(await store.storedPassword('prod')).toBe('other');
  });

  it('keeps it for a management API it was saved with, and for the derived one', async () => {
    const store = new ProfileStore(dir, new MemorySecretStore());
    await store.save(saved('amqp://ops:pw@rabbit.internal:5672', { managementUrl: 'https://mgmt.internal:15671' }));
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672', { managementUrl: 'https://mgmt.internal:15671/' }))).toBe('pw');
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672'))).toBe('pw');
    expect(await store.passwordFor(saved('amqp://ops@rabbit.internal:5672', { managementUrl: 'off' }))).toBe('pw');
  });
});
