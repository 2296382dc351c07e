// Loaded (--require) into the consumer thread of test/support/streamCrashLoopChild.ts only: the
// whole process dies (SIGKILL, by its own hand: nothing after it runs, no batch commits, nothing is
// acknowledged) when the thread's decoder parses a text holding PAYOPS_TEST_DIE_ON_PARSE, as a
// process that a message crashes while it is decoded does. Test-only: nothing in electron/ reads
// that variable, and test/ never ships (tools/check-dist.js).
import { isMainThread } from 'node:worker_threads';

const marker = process.env.PAYOPS_TEST_DIE_ON_PARSE;
if (!isMainThread && marker) {
  const parse = JSON.parse;
  JSON.parse = function dieOnParse(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): unknown {
    if (typeof text === 'string' && text.includes(marker)) process.kill(process.pid, 'SIGKILL');
    return parse.call(JSON, text, reviver) as unknown;
  } as typeof JSON.parse;
}
