// Where a worker thread's entry point is, for the module that starts it. Built code starts the
// compiled `.js`. Under the tests the caller is its `.ts` source, so the worker runs its `.ts`
// source too, through the tsx loader (a devDependency): never a compiled copy in dist/ that may
// be missing or older than the source, and never an in-thread stand-in.
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';

export interface WorkerScript {
  /** Absolute path of the worker's entry file. */
  file: string;
  /** The loader that runs `.ts` (undefined execArgv: inherit the process's flags, Node's default). */
  options: Pick<WorkerOptions, 'execArgv'>;
}

/** `callerFile` is the caller's `__filename`; `entry` the worker's path relative to it, without extension. */
export function workerScript(callerFile: string, entry: string): WorkerScript {
  const dir = path.dirname(callerFile);
  if (callerFile.endsWith('.ts')) {
    // tsx's CommonJS hook, resolved here so that the worker finds it whatever the process's
    // cwd. The worker gets these flags instead of the parent's: nothing of the test runner's
    // own flags leaks into it.
    return { file: path.resolve(dir, `${entry}.ts`), options: { execArgv: ['--require', require.resolve('tsx/cjs')] } };
  }
  return { file: path.resolve(dir, `${entry}.js`), options: {} };
}
