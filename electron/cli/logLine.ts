import { redactSecrets } from '../core/redact';

/** Diagnostics go to stderr with a timestamp, so stdout stays clean for --json output. */
export function logLine(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${redactSecrets(line)}\n`);
}
