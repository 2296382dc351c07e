import { safeErrorMessage } from '../core/redact';

/** Exit codes: 1 usage or input, 2 broker unreachable, 3 database unusable, 4 anything else. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  const name = (err as { kind?: string })?.kind ?? (err as Error)?.constructor?.name ?? '';
  if (name === 'BrokerUrlError') return 1;
  if (name === 'BrokerUnreachableError') return 2;
  if (name === 'DatabaseOpenError') return 3;
  return 4;
}

export function fail(err: unknown): never {
  process.stderr.write(`payops: error: ${safeErrorMessage(err)}\n`);
  process.exit(exitCodeFor(err));
}
