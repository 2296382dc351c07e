// Where a worker thread's entry point is and how to start it. Compiled, the entry point is the
// .js beside its caller. Under the tests the caller is a .ts source: the worker then runs its
// .ts source too, through the tsx loader, so a test never runs a stale build (and never falls
// back to running in-thread).
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';

export function workerScript(callerFile: string, entry: string): { file: string; options: Pick<WorkerOptions, 'execArgv'> } {
  const fromSource = callerFile.endsWith('.ts');
  const file = path.resolve(path.dirname(callerFile), `${entry}${fromSource ? '.ts' : '.js'}`);
  return { file, options: fromSource ? { execArgv: [...process.execArgv, '--require', 'tsx/cjs'] } : {} };
}
