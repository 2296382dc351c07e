import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContactPoint } from '../../../shared/notificationConfig';
import { DEFAULT_ROUTING } from '../../../shared/notificationConfig';
import { warnMissingSecrets } from './notificationHub';
import { ContactPointUrls, contactPointSecretKey, secretEnvName } from './secretUrls';
import { MemorySecretStore } from '../secrets/secretStore';
import { createSafeStorageSecretStore } from '../../desktop/secretStore';

const SECRET = 'https://hooks.example.com/services/T0001/B0002/XyZ123secretTOKEN456';
const cp = (urlSecret: string): ContactPoint => ({ name: 'hook', type: 'webhook', url: null, urlSecret, timeoutMs: 1000, maxAttempts: 1, sendResolved: true, maxAlerts: 0 });

describe('contact point URLs from the secret store', () => {
  it('resolves from the secret store first, then PAYOPS_SECRET_<NAME>, and says which is missing', async () => {
    const store = new MemorySecretStore();
    await store.set(contactPointSecretKey('oncall-hook'), SECRET);
    const urls = new ContactPointUrls(store, { [secretEnvName('team.chat')]: 'http://127.0.0.1:1/x' });
    expect(await urls.resolve(cp('oncall-hook'))).toEqual({ url: SECRET });
    expect(await urls.resolve(cp('team.chat'))).toEqual({ url: 'http://127.0.0.1:1/x' });
    expect(secretEnvName('oncall-hook')).toBe('PAYOPS_SECRET_ONCALL_HOOK');
    expect(await urls.resolve(cp('nope'))).toEqual({ error: 'secret "nope" is not set (secret store, or PAYOPS_SECRET_NOPE in the environment)' });
  });

  it('a secret named like a broker profile never reads its password (the store keeps those under profile ids)', async () => {
    const store = new MemorySecretStore();
    await store.set('prod', 'brokerPa55w0rd'); // the broker profile "prod"'s password, as ProfileStore keeps it
    const withEnv = new ContactPointUrls(store, { [secretEnvName('prod')]: 'http://127.0.0.1:1/hook' });
    expect(await withEnv.resolve(cp('prod'))).toEqual({ url: 'http://127.0.0.1:1/hook' });
    const without = new ContactPointUrls(store, {});
    expect(await without.resolve(cp('prod'))).toEqual({ error: 'secret "prod" is not set (secret store, or PAYOPS_SECRET_PROD in the environment)' });
    expect(contactPointSecretKey('prod')).not.toMatch(/^[\w-]+$/); // no profile id can be this key
  });

  it('a store entry that is not an http(s) URL is never taken for the URL, nor quoted', async () => {
    const store = new MemorySecretStore();
    await store.set(contactPointSecretKey('chat'), 'notAUrl-Pa55w0rd');
    const urls = new ContactPointUrls(store, {});
    expect(await urls.resolve(cp('chat'))).toEqual({ error: 'secret "chat" is not set (secret store, or PAYOPS_SECRET_CHAT in the environment); the secret store\'s "chat" is not an http(s) URL' });
    expect(await urls.describe('chat')).toEqual({ source: null, target: null, problem: 'the secret store holds a value that is not an http(s) URL' });
    expect(urls.redact('login notAUrl-Pa55w0rd refused')).not.toContain('Pa55w0rd');
  });

  it('a secret store that cannot be read is said as such, not as a secret never set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-cpsecret-'));
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, '{"version":1,"secrets":{"contact-point-url:oncall-hook":"ZW5j'); // a write cut short
    const plain = { isEncryptionAvailable: () => true, encryptString: (t: string) => Buffer.from(t), decryptString: (b: Buffer) => b.toString() };
    const urls = new ContactPointUrls(createSafeStorageSecretStore({ file, safeStorage: plain, platform: 'darwin' }), {});
    const unreadable = `the secret store cannot be read: the secrets file ${file} cannot be read (not JSON)`;
    expect(await urls.describe('oncall-hook')).toMatchObject({ source: null, problem: expect.stringContaining(unreadable) });
    expect(await urls.resolve(cp('oncall-hook'))).toEqual({ error: expect.stringContaining(`secret "oncall-hook" is not set (secret store, or PAYOPS_SECRET_ONCALL_HOOK in the environment); ${unreadable}`) });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes where a secret comes from with the scheme and host only', async () => {
    const store = new MemorySecretStore();
    await store.set(contactPointSecretKey('a'), `https://u:pw@hooks.example.com:8443/services/T0001?token=abc`);
    const urls = new ContactPointUrls(store, { [secretEnvName('b')]: SECRET, [secretEnvName('c')]: 'hooks.example.com/x' });
    expect(await urls.describe('a')).toEqual({ source: 'store', target: 'https://hooks.example.com:8443/…', problem: null });
    expect(await urls.describe('b')).toEqual({ source: 'environment', target: 'https://hooks.example.com/…', problem: null });
    expect(await urls.describe('c')).toEqual({ source: 'environment', target: null, problem: 'PAYOPS_SECRET_C is not an http(s) URL' });
    expect(await urls.describe('d')).toEqual({ source: null, target: null, problem: null });
  });

  it('an environment value that is no http(s) URL (the scheme left off when pasting) is said as such, never posted to, never quoted', async () => {
    const urls = new ContactPointUrls(null, { [secretEnvName('chat')]: 'hooks.slack.com/services/T0001/B0002/XyZ123secretTOKEN456' });
    const warned: string[] = [];
    await warnMissingSecrets({ ...DEFAULT_ROUTING, contactPoints: [cp('chat')] }, urls, (l) => warned.push(l));
    expect(warned).toEqual(['contact point "hook" cannot deliver: secret "chat" (PAYOPS_SECRET_CHAT) is not an http(s) URL; its notifications will be logged failed']);
  });

  it('scrubs a resolved URL, its token path and its query from any text (errors quote URLs verbatim)', async () => {
    const store = new MemorySecretStore();
    await store.set(contactPointSecretKey('a'), SECRET);
    await store.set(contactPointSecretKey('b'), 'https://events.example.com/v2/enqueue?routing_key=abcDEF123456');
    const urls = new ContactPointUrls(store, {});
    await urls.resolve(cp('a'));
    await urls.resolve(cp('b'));
    const text = urls.redact(`Failed to parse URL from ${SECRET}; POST /services/T0001/B0002/XyZ123secretTOKEN456 failed; retry ?routing_key=abcDEF123456`);
    expect(text).not.toContain('secretTOKEN');
    expect(text).not.toContain('abcDEF123456');
    expect(text).toBe('Failed to parse URL from <secret url>; POST /<secret> failed; retry ?<secret>');
  });
});
