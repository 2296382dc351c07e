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
