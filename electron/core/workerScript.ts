// Where a worker thread's entry point is, for the module that starts it. Built code starts the
// compiled `.js` beside itself. Under the tests the caller is its `.ts` source, so the worker
// runs its `.ts` source too, through the tsx loader (a devDependency): never a compiled copy
// in dist/ that may be missing or older than the source, and never an in-thread stand-in.
import path from 'node:path';

export interface WorkerScript {
  /** Absolute path of the worker's entry file. */
  file: string;
  /** For `new Worker(file, { execArgv })`: the loader that runs `.ts`; undefined (inherit the
   * process's flags, Node's default) for compiled code. */
  execArgv: string[] | undefined;
}

/**
 * `callerFile` and `callerDir` are the caller's `__filename` and `__dirname`; `baseName` is the
 * worker's file name without extension, in the caller's folder (or a path relative to it).
 */
export function workerScript(callerFile: string, callerDir: string, baseName: string): WorkerScript {
  if (callerFile.endsWith('.ts')) {
    // tsx's CommonJS hook (`node --require tsx/cjs`), resolved here so that the worker finds
    // it whatever the process's cwd. The worker gets these flags instead of the parent's, so
    // nothing of the test runner's own flags leaks into it.
    return { file: path.join(callerDir, `${baseName}.ts`), execArgv: ['--require', require.resolve('tsx/cjs')] };
  }
  return { file: path.join(callerDir, `${baseName}.js`), execArgv: undefined };
}
