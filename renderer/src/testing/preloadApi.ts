// Test support only, in testing/ (never imported by the app): the preload's API as a test answers it.
import type { PayopsApi } from '../../../shared/api';

/**
 * Answers the app's calls with `invoke`. The app's client is made once, around the first
 * `window.payops` it sees (getClient), and test files share a worker's modules: a file that put
 * a new object in `window.payops` after another file's tests would still be answered by the
 * earlier file. So the one object the client wraps takes each test's answers.
 */
export function answerCalls(invoke: PayopsApi['invoke']): void {
  if (window.payops) window.payops.invoke = invoke;
  else window.payops = { invoke, on: () => () => undefined };
}
