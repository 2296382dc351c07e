import { describe, expect, it } from 'vitest';
import { WIRE_MAX_REQUEST_BYTES } from '../../../shared/wireLimits';
import type { EngineSnapshot } from '../../../shared/metrics';
import { backoffDelay } from '../../../shared/backoff';
import { addressWithoutToken, createWsClient, wsUrlFor, type SocketLike, type TransportStatus } from './client';

class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number; done: boolean }[] = [];
  let nextTimer = 1;
  let now = 0;
  const client = createWsClient({
    url: 'ws://127.0.0.1:1/api?token=abc',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      const t = { fn, ms, id: nextTimer++, done: false };
      timers.push(t);
      return t.id;
    },
    clearTimer: (id) => {
      const t = timers.find((x) => x.id === id);
      if (t) t.done = true;
    },
    now: () => now,
    random: () => 0.5,
    requestTimeoutMs: 1000,
  });
  const runTimers = (filter: (ms: number) => boolean) => {
    for (const t of timers.filter((x) => !x.done && filter(x.ms))) {
      t.done = true;
      now += t.ms;
      t.fn();
    }
  };
  return { client, sockets, timers, runTimers, last: () => sockets[sockets.length - 1] };
}

describe('WebSocket client', () => {
  it('builds the URL from the page location and its token', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:8123', search: '?token=ab12' })).toEqual({
      url: 'ws://127.0.0.1:8123/api?token=ab12',
      token: 'ab12',
    });
    expect(wsUrlFor({ protocol: 'https:', host: 'h', search: '' }).url).toBe('wss://h/api');
  });

  it('takes the token out of the address the page shows, keeping the rest of it', () => {
    expect(addressWithoutToken('http://127.0.0.1:8123/?token=ab12')).toBe('http://127.0.0.1:8123/');
    expect(addressWithoutToken('http://127.0.0.1:8123/?token=ab12#/explorer')).toBe('http://127.0.0.1:8123/#/explorer');
    expect(addressWithoutToken('http://127.0.0.1:8123/?dense=1&token=ab12')).toBe('http://127.0.0.1:8123/?dense=1');
  });

  it('queues requests until the socket opens and matches responses by id', async () => {
    const h = harness();
    const p = h.client.invoke('app.info', {});
    expect(h.last().sent).toEqual([]);
    h.last().open();
    expect(h.client.status().state).toBe('open');
    const req = JSON.parse(h.last().sent[0]);
    expect(req).toMatchObject({ kind: 'request', name: 'app.info', args: {} });
    h.last().receive({ kind: 'response', id: req.id, ok: true, result: { version: '1', host: 'web', readOnly: false, demo: false, dbFile: null } });
    await expect(p).resolves.toMatchObject({ version: '1', host: 'web' });
  });

  it('rejects with the error text of a failed response', async () => {
    const h = harness();
    h.last().open();
    const p = h.client.invoke('profiles.delete', { id: 'x' });
    const req = JSON.parse(h.last().sent[0]);
    h.last().receive({ kind: 'response', id: req.id, ok: false, error: 'profiles.delete: id: too short' });
    await expect(p).rejects.toThrow('profiles.delete: id: too short');
  });

  it('delivers pushes to listeners and stops after unsubscribe', () => {
    const h = harness();
    h.last().open();
    const got: EngineSnapshot[] = [];
    const off = h.client.on('snapshot', (s) => got.push(s));
    h.last().receive({ kind: 'push', name: 'snapshot', payload: { at: 1 } });
    off();
    h.last().receive({ kind: 'push', name: 'snapshot', payload: { at: 2 } });
    expect(got.map((s) => s.at)).toEqual([1]);
  });

  it('marks the connection lost, fails pending requests and reconnects with backoff', async () => {
    const h = harness();
    const states: TransportStatus[] = [];
    h.client.onStatus((s) => states.push(s));
    h.last().open();
    const p = h.client.invoke('engine.snapshot', {});
    h.last().drop();
    await expect(p).rejects.toThrow('connection lost');
    expect(h.client.status()).toMatchObject({ state: 'lost', attempt: 1 });
    // while lost, requests fail at once instead of piling up
    await expect(h.client.invoke('alerts.list', {})).rejects.toThrow('connection lost');
    expect(h.sockets.length).toBe(1);
    h.runTimers((ms) => ms === backoffDelay(1, undefined, () => 0.5));
    expect(h.sockets.length).toBe(2);
    h.last().drop();
    expect(h.client.status()).toMatchObject({ state: 'lost', attempt: 2 });
    h.runTimers((ms) => ms === backoffDelay(2, undefined, () => 0.5));
    h.last().open();
    expect(h.client.status()).toMatchObject({ state: 'open', attempt: 0, reconnects: 1 });
    expect(states.map((s) => s.state)).toEqual(['open', 'lost', 'connecting', 'lost', 'connecting', 'open']);
  });

  it('refuses a request larger than the web host reads, alone, without losing the connection', async () => {
    const h = harness();
    h.last().open();
    const other = h.client.invoke('app.info', {});
    // The host would close the socket on such a frame (1009), failing every pending request as "connection lost".
    const huge = h.client.invoke('rules.validate', { text: 'x'.repeat(WIRE_MAX_REQUEST_BYTES), format: 'yaml' });
    await expect(huge).rejects.toThrow(/^rules\.validate: request too large \(4\.0 MB; the console accepts at most 4\.0 MB\)$/);
    expect(h.last().sent.map((f) => JSON.parse(f).name)).toEqual(['app.info']);
    expect(h.client.status().state).toBe('open');
    const req = JSON.parse(h.last().sent[0]);
    h.last().receive({ kind: 'response', id: req.id, ok: true, result: { version: '1', host: 'web', readOnly: false, demo: false, dbFile: null } });
    await expect(other).resolves.toMatchObject({ version: '1' });
  });

  it('times out a request that gets no answer', async () => {
    const h = harness();
    h.last().open();
    const p = h.client.invoke('engine.snapshot', {});
    h.runTimers((ms) => ms === 1000);
    await expect(p).rejects.toThrow(/no answer/);
  });

  it('backoff grows exponentially and is capped', () => {
    const mid = () => 0.5;
    expect(backoffDelay(1, undefined, mid)).toBe(500);
    expect(backoffDelay(2, undefined, mid)).toBe(1000);
    expect(backoffDelay(3, undefined, mid)).toBe(2000);
    expect(backoffDelay(20, undefined, mid)).toBe(10_000);
  });
});
