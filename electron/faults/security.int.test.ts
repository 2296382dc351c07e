// Credentials never in logs, error output, the database, captures or profiles.json, and the
// web host never reachable but on loopback. A throwaway broker user with a distinctive
// password is used for real connections (rabbitmqctl add_user; nothing is restarted), and
// unreachable or malformed URLs with another distinctive password for the error paths.
//
// Covered elsewhere (referenced, not repeated): exports masked by default and CSV formula
// neutralisation in electron/core/report/reportExport.test.ts and
// electron/cli/commands/reportCommand.test.ts; token, Origin, Host and 127.0.0.1 binding in
// electron/web/webHost.test.ts; the password leaving the URL for the secret store in
// electron/core/profiles; the connection-cut path in connectionCut.fault.test.ts; webhook URLs with
// tokens (contact points) in electron/cli/notifyCollect.int.test.ts (no output, database, WAL,
// capture or rules file holds the token), electron/core/notify/delivery.int.test.ts and secretUrls.test.ts.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { runPayops, startPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { createBrokerUser, deleteBrokerUser } from '../../test/support/brokerUser';
import { asPublishItems, collectOutput, paddedEvents, storedCount, waitFor } from '../../test/support/faultKit';

const dir = tempDir('payops-security-');
const t = uniqueTopology('sec');
const user = createBrokerUser('payops-sec');
afterAll(async () => {
  deleteBrokerUser(user.name);
  // The serve test's console consumed a queue of its own beside the topology's.
  await deleteTopology(t, AMQP_URL, [`${t.queue}.serve`]);
});

/** Every file under `root` (databases, WAL, captures, profiles, rules) that holds `secret`. */
function filesContaining(root: string, secret: string): string[] {
  const hits: string[] = [];
  const needles = [Buffer.from(secret), Buffer.from(encodeURIComponent(secret)), Buffer.from(secret, 'utf16le')];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && needles.some((n) => fs.readFileSync(p).includes(n))) hits.push(p);
    }
  };
  walk(root);
  return hits;
}

describe('credentials stay secret', () => {
  it('the file scan finds a planted secret (positive control)', () => {
    const planted = path.join(dir, 'planted');
    fs.mkdirSync(path.join(planted, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(planted, 'sub', 'x.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('zzSECRETzz', 'utf16le')]));
    expect(filesContaining(planted, 'zzSECRETzz')).toEqual([path.join(planted, 'sub', 'x.bin')]);
  });

  it('collect with a password in the URL: not in stdout, stderr, the .db/-wal/-shm files or the capture', async () => {
    const home = path.join(dir, 'collect');
    fs.mkdirSync(home);
    const events = paddedEvents(500, 10);
    await prepareQueue(t);
    await publishAll(t.exchange, asPublishItems(events));
    const db = path.join(home, 'live.db');
    const child = startPayops(
      ['collect', '--amqp', user.url, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--capture', path.join(home, 'capture.ndjson'), '--watch', t.queue],
      { PAYOPS_HOME: home },
    );
    const out = collectOutput(child);
    await waitFor(() => storedCount(db) === events.length, 30_000, 'collect to store the events', 100, out.stderr);
    // A clean stop closes the capture; a SIGKILL is the next test.
    child.kill('SIGTERM');
    expect(await out.exit).toBe(0);
    expect(out.stderr()).toContain(`${user.name}:***@`); // the URL is shown, redacted
    expect(out.stdout() + out.stderr()).not.toContain(user.password);
    expect(fs.existsSync(path.join(home, 'capture.ndjson'))).toBe(true);
    expect(filesContaining(home, user.password)).toEqual([]);
  }, 60_000);

  it('error paths print no password: unreachable broker, refused login, malformed URL, unusable database', async () => {
    const secret = `Zx${Math.random().toString(36).slice(2)}Qw`;
    const home = path.join(dir, 'errors');
    fs.mkdirSync(home);
    const db = path.join(home, 'x.db');
    const capture = path.join(home, 'one.ndjson');
    fs.writeFileSync(capture, `${JSON.stringify(paddedEvents(1, 0)[0])}\n`);
    const cases: { args: string[]; code: number }[] = [
      // Nothing listens on port 1: connection refused, after the (empty) retry budget.
      { args: ['collect', '--amqp', `amqp://ops:${secret}@127.0.0.1:1`, '--db', db, '--connect-retries', '0'], code: 2 },
      // The broker answers and refuses the login: its own exit code (5), not "unreachable" (2).
      { args: ['collect', '--amqp', `amqp://${user.name}:${secret}@127.0.0.1:5672`, '--db', db, '--connect-retries', '0'], code: 5 },
      // Not a URL the client can use.
      { args: ['collect', '--amqp', `amqp://ops:${secret}@127.0.0.1:notaport`, '--db', db], code: 1 },
      { args: ['collect', '--amqp', `http://ops:${secret}@127.0.0.1:5672`, '--db', db], code: 1 },
      { args: ['collect', '--amqp', `amqp://ops:${secret}@[::1`, '--db', db], code: 1 },
      // A database that cannot be opened.
      { args: ['collect', '--amqp', `amqp://ops:${secret}@127.0.0.1:5672`, '--db', '/proc/self/nope/x.db'], code: 3 },
      // Password through the environment, broker unreachable.
      { args: ['collect', '--db', db, '--connect-retries', '0'], code: 2 },
      // Found here: simulate and publish exited 4 ("other") for an unreachable broker; now 2, like collect.
      { args: ['simulate', '--amqp', `amqp://ops:${secret}@127.0.0.1:1`, '--for', '1'], code: 2 },
      { args: ['publish', capture, '--amqp', `amqp://ops:${secret}@127.0.0.1:1`, '--exchange', 'x', '--yes'], code: 2 },
      { args: ['replay', '--from-stream', 'no-such-stream', '--amqp', `amqp://ops:${secret}@127.0.0.1:1`, '--db', path.join(home, 'r.db')], code: 2 },
    ];
    for (const c of cases) {
      const r = await runPayops(c.args, { PAYOPS_HOME: home, PAYOPS_AMQP_URL: `amqp://ops:${secret}@127.0.0.1:1` }, 60_000);
      const where = `payops ${c.args.join(' ').replaceAll(secret, '<secret>')}`;
      expect(r.code, `${where}\n${r.stderr}`).toBe(c.code);
      expect(r.stderr, where).toMatch(/payops: error: \S/);
      expect(r.stdout + r.stderr, where).not.toContain(secret);
      expect(r.stdout + r.stderr, where).not.toContain(encodeURIComponent(secret));
    }
    expect(filesContaining(home, secret)).toEqual([]);
  }, 120_000);

  it('a crash (SIGKILL mid-ingest) leaves no password in the files either', async () => {
    const home = path.join(dir, 'crash');
    fs.mkdirSync(home);
    const tt = uniqueTopology('seccrash');
    try {
      await prepareQueue(tt);
      await publishAll(tt.exchange, asPublishItems(paddedEvents(3000, 10)));
      const db = path.join(home, 'live.db');
      const child = startPayops(['collect', '--amqp', user.url, '--db', db, '--exchange', tt.exchange, '--queue', tt.queue, '--bind', '#', '--capture', path.join(home, 'c.ndjson.gz')]);
      const out = collectOutput(child);
      await waitFor(() => storedCount(db) > 0, 30_000, 'some events stored', 50, out.stderr);
      child.kill('SIGKILL');
      await out.exit;
      expect(out.stdout() + out.stderr()).not.toContain(user.password);
      expect(filesContaining(home, user.password)).toEqual([]);
    } finally {
      await deleteTopology(tt);
    }
  }, 60_000);
});

/** Addresses of this machine other than loopback (IPv4 and IPv6). */
function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && !a.address.startsWith('fe80'))
    .map((a) => a.address);
}

function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

describe('payops serve: loopback only, and no password at rest', () => {
  const rendererBuilt = fs.existsSync(path.resolve(__dirname, '../../dist-renderer/index.html'));
  it.skipIf(!rendererBuilt)(`refuses connections on every non-loopback address; profiles.json and the logs keep no password${rendererBuilt ? '' : ' (skipped: the renderer is not built: npm run build)'}`, async () => {
    const home = path.join(dir, 'serve');
    fs.mkdirSync(home);
    const child = startPayops(['serve', '--amqp', user.url, '--db', path.join(home, 'live.db'), '--port', '0', '--exchange', t.exchange, '--queue', `${t.queue}.serve`], { PAYOPS_HOME: home });
    const out = collectOutput(child);
    try {
      await waitFor(() => /payops console: http:\/\/127\.0\.0\.1:\d+\//.test(out.stdout()), 30_000, 'the console URL', 100, out.stderr);
      const url = new URL(/payops console: (\S+)/.exec(out.stdout())![1]);
      const port = Number(url.port);
      expect(await connectOutcome('127.0.0.1', port)).toBe('connected');
      const external = externalAddresses();
      for (const address of external) expect(`${address}: ${await connectOutcome(address, port)}`).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH|EHOSTUNREACH/);
      // ::1 is loopback too: the host holds it on the same port (no other process may answer
      // localhost:<port>), where the machine has IPv6 loopback at all.
      expect(await connectOutcome('::1', port)).toMatch(/^connected$|EADDRNOTAVAIL|EAFNOSUPPORT/);

      // A profile saved with a password through the API: the file keeps the URL without it.
      const token = url.searchParams.get('token')!;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const reply = await new Promise<{ ok: boolean; result?: { url: string; hasPassword: boolean } }>((resolve) => {
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { kind: string; id: number };
          if (m.kind === 'response' && m.id === 7) resolve(m as never);
        });
        ws.send(JSON.stringify({ kind: 'request', id: 7, name: 'profiles.save', args: { profile: { id: 'sec', name: 'sec', url: user.url } } }));
      });
      ws.terminate();
      expect(reply.ok).toBe(true);
      expect(reply.result?.hasPassword).toBe(true);
      expect(JSON.stringify(reply)).not.toContain(user.password);
    } finally {
      child.kill('SIGTERM');
      await out.exit;
    }
    expect(out.stdout() + out.stderr()).not.toContain(user.password);
    expect(fs.existsSync(path.join(home, 'profiles.json'))).toBe(true);
    expect(filesContaining(home, user.password)).toEqual([]);
  }, 60_000);
});
