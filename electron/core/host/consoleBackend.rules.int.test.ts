// A bad rules file does not keep the console closed: the engine starts with the default
// pack, the error (naming rule and field) is logged and shown in the rule editor, and a
// valid save from the editor puts the file right and applies to later sessions too.
// Requests go through the API dispatcher, as the hosts send them; the workers run from their
// TypeScript sources (electron/core/threads/workerScript.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiRequest, type ApiArgs, type ApiRequestName, type ApiResults } from '../../../shared/api';
import { dispatchApiRequest } from '../../../shared/apiDispatch';
import type { ApiBackend } from './apiBackend';
import { MemorySecretStore } from '../secrets/secretStore';
import { tempDir } from '../../../test/support/tempDir';
import { createConsoleBackend } from './consoleBackend';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-backend-rules-');
const GOOD = fs.readFileSync(path.resolve(__dirname, '../../../e2e/fixtures/decline-rules.yaml'), 'utf8');
let backend: ApiBackend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});
const h = <K extends ApiRequestName>(name: K, args: ApiArgs<K>) => dispatchApiRequest(backend!.services, name, args) as Promise<ApiResults[K]>;

describe('console backend and rules files', () => {
  it('starts with the default pack when the rules file is bad, says why, and a save fixes it', async () => {
    const sub = path.join(dir, 'bad');
    fs.mkdirSync(sub);
    const rulesFile = path.join(sub, 'rules.yaml');
    fs.writeFileSync(rulesFile, GOOD.replace('window: 20s', 'window: soon'));
    const logs: string[] = [];
    backend = await createConsoleBackend({ dbFile: path.join(sub, 'live.db'), secrets: new MemorySecretStore(), rulesFile, log: (l) => logs.push(l) });
    expect(logs.join('\n')).toMatch(/alert rules not loaded.*rule "decline-rate-high" \(rules\[0\]\) field window: must be a duration/s);
    const doc = await h('rules.get', {});
    expect(doc.loadError).toMatch(/rule "decline-rate-high" \(rules\[0\]\) field window/);
    expect(doc.source).toBe('default');
    expect(doc.rules.map((r) => r.name)).toContain('decline-rate-spike');
    // Everything else works.
    expect((await h('app.info', {})).demo).toBe(false);
    expect((await h('alerts.list', { includeResolved: true, limit: 10 })).alerts).toEqual([]);
    expect(await h('alerts.history', { limit: 10 })).toEqual([]);

    const saved = await h('rules.save', { text: GOOD });
    expect(saved).toMatchObject({ ok: true, reloaded: true, path: rulesFile });
    expect((await h('rules.get', {})).loadError).toBeNull();
    // A later session (demo here) starts from the saved file.
    await h('demo.start', { scenario: 'normal', rate: 50 });
    expect((await h('rules.get', {})).rules.map((r) => r.name)).toEqual(['decline-rate-high']);
  });

  it('picks up rules.yaml saved beside the database on the next start', async () => {
    const sub = path.join(dir, 'saved');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'rules.yaml'), GOOD);
    backend = await createConsoleBackend({ dbFile: path.join(sub, 'live.db'), secrets: new MemorySecretStore() });
    const doc = await h('rules.get', {});
    expect(doc).toMatchObject({ source: 'file', path: path.join(sub, 'rules.yaml'), loadError: null });
    expect(doc.rules.map((r) => r.name)).toEqual(['decline-rate-high']);
  });

  it('saves beside the live database whatever session runs (here a demo with its own folder)', async () => {
    const sub = path.join(dir, 'demo');
    backend = await createConsoleBackend({ dbFile: path.join(sub, 'data', 'live.db'), configDir: path.join(sub, 'config'), secrets: new MemorySecretStore(), demo: true });
    expect((await h('rules.get', {})).savePath).toBe(path.join(sub, 'data', 'rules.yaml'));
    const saved = await h('rules.save', { text: GOOD });
    expect(saved).toMatchObject({ ok: true, path: path.join(sub, 'data', 'rules.yaml') });
    expect(fs.existsSync(path.join(sub, 'config', 'rules.yaml'))).toBe(false);
    // The renderer cannot choose the path: the API schema refuses extra fields.
    expect(() => parseApiRequest('rules.save', { text: GOOD, path: '/etc/passwd' })).toThrow(/rules.save/);
  });

  it('a save applies the routing in the saved text to the running session, not only to the next one', async () => {
    const sub = path.join(dir, 'routing');
    fs.mkdirSync(sub);
    const logs: string[] = [];
    backend = await createConsoleBackend({ dbFile: path.join(sub, 'live.db'), secrets: new MemorySecretStore(), log: (l) => logs.push(l) });
    expect(await h('notifications.log', { limit: 10 })).toMatchObject({ routing: false, dropped: 0 });
    const withHook = (name: string) => `contactPoints:\n  - { name: ${name}, type: webhook, urlSecret: ${name} }\ndefaultPolicy: { contactPoint: ${name} }\n${GOOD}`;

    expect(await h('rules.save', { text: withHook('first-hook') })).toMatchObject({ ok: true, reloaded: true });
    expect((await h('notifications.log', { limit: 10 })).routing).toBe(true);
    await waitFor(() => logs.some((l) => l.includes('contact point "first-hook" cannot deliver')), () => `the missing secret of the first hook said (log: ${JSON.stringify(logs)})`);

    expect(await h('rules.save', { text: withHook('second-hook') })).toMatchObject({ ok: true, reloaded: true });
    await waitFor(() => logs.some((l) => l.includes('contact point "second-hook" cannot deliver')), () => `the saved routing's contact point checked (log: ${JSON.stringify(logs)})`);
  });
});

