import { settledWithin } from './settledWithin';

/**
 * The connection attempt under way, which a stop can end: its signal (amqpConnect passes it to
 * net.connect) drops the socket of a broker that accepts and never answers, and the stop then
 * waits, bounded, for the attempt to close what it opened. One attempt at a time.
 */
export class AbortableAttempt {
  private current: { done: Promise<void>; abort: AbortController } | null = null;

  /** Runs `attempt` with a signal that `abortAndWait` aborts. */
  async run(attempt: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const abort = new AbortController();
    const done = attempt(abort.signal);
    this.current = { done, abort };
    try {
      await done;
    } finally {
      if (this.current?.done === done) this.current = null;
    }
  }

  /** Aborts the attempt under way, if any, and waits at most `ms` for it to settle. */
  async abortAndWait(ms: number): Promise<void> {
    const attempt = this.current;
    if (!attempt) return;
    attempt.abort.abort();
    await settledWithin(attempt.done, ms);
  }
}
