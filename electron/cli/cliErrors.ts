import { safeErrorMessage } from '../core/redact';
import { visibleLines } from './terminalText';

/**
 * Exit codes (README "Exit codes"): 1 usage or input, 2 broker unreachable, 3 database
 * unusable, 4 anything else, 5 broker refused the login or a permission, 6 broker refused
 * the vhost, 7 a queue or exchange exists with other arguments.
 */
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
  // SQLite failing in the middle of a command (a page found corrupt, an I/O error): the
  // database is unusable, not "anything else".
  if (name === 'SqliteError') return 3;
  if (name === 'BrokerAccessRefusedError') return 5;
  if (name === 'BrokerVhostError') return 6;
  if (name === 'BrokerTopologyError') return 7;
  return 4;
}

export function fail(err: unknown): never {
  process.stderr.write(`payops: error: ${visibleLines(safeErrorMessage(err))}\n`);
  process.exit(exitCodeFor(err));
}
