// A management API (or a proxy before it) that sends its headers and then its body a byte at a
// time, for ever, or answers nothing at all, while the process collects garbage as a busy
// collector does. The request's timeout was AbortSignal.timeout held only by AbortSignal.any,
// which in Node 20 keeps its sources weakly: a garbage collection took the timeout away, the
// request never ended, and the poller (one poll at a time) stopped polling for good. A real
// loopback HTTP server; garbage collected on purpose.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { answers, startLoopbackHttp, type Answer, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient, ManagementError } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Headers at once, then one blank a tenth of a second, never the end. */
const dribble: Answer = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
};

let http: LoopbackHttp | null = null;
afterEach(async () => {
  await http?.close();
  http = null;
});

async function settlesWithGc(call: Promise<unknown>, limitMs: number): Promise<{ error: unknown; ms: number } | 'hung'> {
  const started = Date.now();
  const collecting = setInterval(gc, 50);
  try {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(resolve, limitMs, 'hung')));
    const outcome = await Promise.race([call.then(() => ({ error: null, ms: Date.now() - started }), (error: unknown) => ({ error, ms: Date.now() - started })), hung]);
    clearTimeout(timer);
    return outcome;
  } finally {
    clearInterval(collecting);
  }
}

describe('a management API that never finishes its answer', () => {
  for (const [what, answer, says] of [
    ['a body that trickles for ever', dribble, /did not finish its answer within 500 ms/],
    ['no answer at all', answers.silent(), /did not answer within 500 ms/],
  ] as const) {
    it(`${what}: the request ends at its timeout even after garbage collections`, async () => {
      http = await startLoopbackHttp(answer);
      const client = new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 500 });
      const outcome = await settlesWithGc(client.queue('q'), 3000);
      expect(outcome).not.toBe('hung');
      const { error, ms } = outcome as { error: unknown; ms: number };
      expect(error).toBeInstanceOf(ManagementError);
      expect((error as ManagementError).kind).toBe('timeout');
      expect((error as Error).message).toMatch(says);
      expect(ms).toBeLessThan(2500);
    }, 10_000);
  }
});
