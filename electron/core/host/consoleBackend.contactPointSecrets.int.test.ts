// Contact point secrets set from the console. The rules file names a secret (`urlSecret`), the
// console keeps the URL in its secret store, but nothing in the console could put it there:
// a console session's webhook and Slack contact points could only fail ("secret not set").
// The `contactPoints` service lists them with their state (never the value, at most the
// scheme and host), sets, replaces and clears the URL; the running session's next message
// goes to the new URL (no restart), and the token is in no answer, log line, error or file.
// Through the console backend and dispatchApiRequest, as both hosts call it; a live session
// whose database holds a burn (real SQLite) pages a real loopback HTTP receiver.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiArgs, ApiRequestName, ApiResults } from '../../../shared/api';
import { burningConsoles } from '../../../test/support/burningConsoleKit';
import { startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { waitFor } from '../../../test/support/waitFor';

const TOKEN_A = 'T0A11/B0A22/tokenAlphaXyZ123secret';
const TOKEN_B = 'T0B11/B0B22/tokenBravoQwE456secret';
const RULES = `
rules: []
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall-hook, timeout: 2s, maxAttempts: 1 }
  - { name: team-chat, type: slack, urlSecret: team-chat }
  - { name: plain, type: webhook, url: "http://127.0.0.1:9/alerts" }
defaultPolicy: { contactPoint: oncall, groupWait: 0s, groupInterval: 1s, repeatInterval: 1s }
burnRates:
  - name: approval-slo
    objective: 97%
    sli: approval
    minVolume: 0
    windows:
      - { severity: critical, factor: 10, long: 5m, short: 1m }
`;

const openConsole = burningConsoles('payops-backend-cpsecrets-');
const receivers: HttpReceiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

/** Every file under `root`, read as bytes. */
function filesUnder(root: string): { file: string; bytes: Buffer }[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
    const file = path.join(e.parentPath, e.name);
    return { file, bytes: fs.readFileSync(file) };
  });
}

/** Holds this thread (no callback, no message from a worker runs) until `done`, polling every 2 ms for at most 20 s. */
function holdUntil(done: () => boolean, what: string): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    Atomics.wait(tick, 0, 0, 2);
  }
}

async function open(name: string, rules = RULES) {
  const session = await openConsole(name, rules);
  const answers: unknown[] = [];
  const errors: string[] = [];
  /** A request as a host makes it; every answer and error is kept to be searched for the token. */
  const h = async <K extends ApiRequestName>(req: K, args: ApiArgs<K>): Promise<ApiResults[K]> => {
    try {
      const result = await session.request(req, args);
      answers.push(result);
      return result;
    } catch (err) {
      errors.push((err as Error).message);
      throw err;
    }
  };
  return { session, sub: session.dir, logs: session.logs, answers, errors, h };
}

describe('contact point secrets from the console', () => {
  it('lists the secrets, sets and replaces them for the running session, clears them, and never says the value', async () => {
    const a = await startReceiver();
    const b = await startReceiver();
    receivers.push(a, b);
    const urlA = `${a.url}/services/${TOKEN_A}`;
    const urlB = `${b.url}/services/${TOKEN_B}`;
    const { session, sub, logs, answers, errors, h } = await open('set');

    const before = await h('contactPoints.secrets', {});
    expect(before.store.available).toBe(true);
    expect(before.loadError).toBeNull();
    expect(before.contactPoints).toEqual([
      { contactPoint: 'oncall', type: 'webhook', secret: 'oncall-hook', envVariable: 'PAYOPS_SECRET_ONCALL_HOOK', source: null, target: null, problem: null },
      { contactPoint: 'team-chat', type: 'slack', secret: 'team-chat', envVariable: 'PAYOPS_SECRET_TEAM_CHAT', source: null, target: null, problem: null },
    ]);
    // Unset, the session's pages fail (the routing runs; only the URL is missing).
    await waitFor(async () => (await h('notifications.log', { limit: 50 })).entries.some((e) => e.contactPoint === 'oncall' && e.outcome === 'failed'), 'a page to oncall that failed for want of its URL');

    // Refused at the boundary, with a message that names the field and never the value.
    for (const bad of [`ftp://127.0.0.1/${TOKEN_A}`, `127.0.0.1:${a.port}/services/${TOKEN_A}`, `javascript:${TOKEN_A}`, '']) {
      await expect(h('contactPoints.setSecret', { contactPoint: 'oncall', url: bad })).rejects.toThrow(
        'contactPoints.setSecret: url: must be an http(s) URL such as https://hooks.slack.com/services/…',
      );
    }
    await expect(h('contactPoints.setSecret', { contactPoint: 'plain', url: urlA })).rejects.toThrow('no contact point "plain" with a urlSecret in the running session\'s routing');
    await expect(h('contactPoints.setSecret', { contactPoint: 'nobody', url: urlA })).rejects.toThrow('no contact point "nobody" with a urlSecret in the running session\'s routing');
    expect(a.requests).toEqual([]);

    // Set: the running session's next page goes there.
    expect(await h('contactPoints.setSecret', { contactPoint: 'oncall', url: `  ${urlA}\n` })).toEqual({
      contactPoint: 'oncall', type: 'webhook', secret: 'oncall-hook', envVariable: 'PAYOPS_SECRET_ONCALL_HOOK', source: 'store', target: `http://127.0.0.1:${a.port}/…`, problem: null,
    });
    await waitFor(() => a.requests.length > 0, 'the session to page the URL just set');
    expect(a.requests[0].path).toBe(`/services/${TOKEN_A}`);
    expect(a.requests[0].body).toMatchObject({ receiver: 'oncall', status: 'firing' });

    // Replaced: the next page goes to the new URL, still without a restart.
    expect((await h('contactPoints.setSecret', { contactPoint: 'oncall', url: urlB })).target).toBe(`http://127.0.0.1:${b.port}/…`);
    await waitFor(() => b.requests.length > 0, 'the session to page the replaced URL');
    expect(b.requests[0].path).toBe(`/services/${TOKEN_B}`);
    const listed = await h('contactPoints.secrets', {});
    expect(listed.contactPoints.map((c) => `${c.contactPoint} ${c.source} ${c.target}`)).toEqual([`oncall store http://127.0.0.1:${b.port}/…`, 'team-chat null null']);

    // Cleared: the session's pages fail again, said as a missing secret.
    const lastId = Math.max(0, ...(await h('notifications.log', { limit: 1 })).entries.map((e) => e.id));
    expect(await h('contactPoints.clearSecret', { contactPoint: 'oncall' })).toMatchObject({ cleared: true, contactPoint: { source: null, target: null } });
    expect(await h('contactPoints.clearSecret', { contactPoint: 'oncall' })).toMatchObject({ cleared: false });
    await waitFor(
      async () => (await h('notifications.log', { limit: 50 })).entries.some((e) => e.id > lastId && e.contactPoint === 'oncall' && /secret "oncall-hook" is not set/.test(e.error ?? '')),
      'a page after the clear to fail for want of the URL',
    );

    expect(await h('engine.snapshot', {})).toBeTruthy();
    expect(logs).toContain('contact point "oncall": its URL (secret "oncall-hook") was set in the console');
    expect(logs).toContain('contact point "oncall": its URL (secret "oncall-hook") was cleared in the console');
    await session.close();
    // The token (of either URL), in no answer, error, log line, or file the console wrote (the database and its WAL included).
    const said = JSON.stringify({ answers, errors, logs });
    for (const token of [TOKEN_A, TOKEN_B, 'tokenAlpha', 'tokenBravo']) {
      expect(said).not.toContain(token);
      for (const { file, bytes } of filesUnder(sub)) expect(bytes.includes(token), `${token} in ${file}`).toBe(false);
    }
    expect(filesUnder(sub).map((f) => path.basename(f.file))).toContain('live.db');
  });

  it('lists the running session\'s contact points: a rules file edited on disk counts once it is applied', async () => {
    const a = await startReceiver();
    receivers.push(a);
    const { sub, h } = await open('edited');
    const names = async () => (await h('contactPoints.secrets', {})).contactPoints.map((c) => `${c.contactPoint} ${c.secret}`);
    expect(await names()).toEqual(['oncall oncall-hook', 'team-chat team-chat']);
    // Edited on disk, not saved through the console: the session still routes to oncall.
    const edited = RULES.replace('name: oncall, type: webhook, urlSecret: oncall-hook', 'name: pager, type: webhook, urlSecret: pager-hook').replace('contactPoint: oncall', 'contactPoint: pager');
    fs.writeFileSync(path.join(sub, 'rules.yaml'), edited);
    expect(await names()).toEqual(['oncall oncall-hook', 'team-chat team-chat']);
    // Refused, saying why: pager is in the file, but not in the routing the session applied.
    await expect(h('contactPoints.setSecret', { contactPoint: 'pager', url: `${a.url}/p` })).rejects.toThrow(
      'no contact point "pager" with a urlSecret in the running session\'s routing (its rules file as last applied: an edit on disk applies once saved from the rule editor)',
    );
    // The URL set for the session's oncall is the one its next page uses.
    await h('contactPoints.setSecret', { contactPoint: 'oncall', url: `${a.url}/services/${TOKEN_A}` });
    await waitFor(() => a.requests.length > 0, 'the session to page oncall, the contact point it routes to');
    expect(a.requests[0].body).toMatchObject({ receiver: 'oncall' });
    // Applied (saved from the rule editor): now the session routes to pager, and the list says so.
    expect(await h('rules.save', { text: edited })).toMatchObject({ ok: true, reloaded: true });
    expect(await names()).toEqual(['pager pager-hook', 'team-chat team-chat']);
    expect((await h('contactPoints.setSecret', { contactPoint: 'pager', url: `${a.url}/services/${TOKEN_B}` })).source).toBe('store');
  });

  it('says why the session\'s routing could not be read, and then sets no secret', async () => {
    // Two secrets that would share one variable: the session starts without its routing.
    const { h } = await open('broken', 'rules: []\ncontactPoints:\n  - { name: a, type: webhook, urlSecret: pay-hook }\n  - { name: b, type: webhook, urlSecret: pay_hook }\n');
    const listed = await h('contactPoints.secrets', {});
    expect(listed.contactPoints).toEqual([]);
    expect(listed.loadError).toContain('contactPoints[1].urlSecret: secrets "pay-hook" (contactPoints[0]) and "pay_hook" both read the environment variable PAYOPS_SECRET_PAY_HOOK');
    await expect(h('contactPoints.setSecret', { contactPoint: 'a', url: 'https://hooks.example.com/x' })).rejects.toThrow(/^the rules file's routing cannot be read, so its contact points are unknown: /);
    // Put right from the rule editor: the session routes, and the list is its routing's.
    expect(await h('rules.save', { text: RULES })).toMatchObject({ ok: true, reloaded: true });
    const fixed = await h('contactPoints.secrets', {});
    expect(fixed.loadError).toBeNull();
    expect(fixed.contactPoints.map((c) => c.contactPoint)).toEqual(['oncall', 'team-chat']);
  });

  it('applies the routing of the text saved, though another writer rewrote the file before the host read it', async () => {
    const { sub, h, logs } = await open('reload-raced');
    const file = path.join(sub, 'rules.yaml');
    const saved = RULES.replace('urlSecret: team-chat', 'urlSecret: team-chat-2');
    // Another writer (an editor's autosave) rewrites the file after the engine wrote the save and
    // before the host applies its routing: valid rules, but two secrets that would share one
    // variable. This thread (the host's) is held until the save is on disk, so the host goes on
    // after the other writer, as it can in a console. The engine evaluates the text saved, and
    // the routing applied is that text's (it was applied from the file, and said "not applied").
    const saving = h('rules.save', { text: saved });
    holdUntil(() => fs.readFileSync(file, 'utf8') === saved, 'the engine to write the saved rules');
    fs.writeFileSync(file, RULES.replace('urlSecret: team-chat', 'urlSecret: oncall_hook'));
    const answer = await saving;
    expect(answer).toMatchObject({ ok: true, reloaded: true, reloadError: null });
    expect(logs.some((l) => l.startsWith('notification routing not reloaded'))).toBe(false);
    const listed = await h('contactPoints.secrets', {});
    expect(listed.reloadError).toBeNull();
    expect(listed.contactPoints.map((c) => `${c.contactPoint} ${c.secret}`)).toEqual(['oncall oncall-hook', 'team-chat team-chat-2']);
    expect((await h('contactPoints.setSecret', { contactPoint: 'team-chat', url: 'https://hooks.example.com/x' })).source).toBe('store');
  });
});
