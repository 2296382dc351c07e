// The CLI's argument parsing under random argv, in-process (spawning the CLI thousands of
// times would take minutes): buildProgram() with exitOverride() and captured output on every
// command, and each command's action replaced by a recorder, so nothing connects or writes.
// Every argv either parses (an action runs) or fails with a CommanderError carrying a clear
// message (or is help/version output); never another exception, never process.exit.
import { CommanderError, type Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import path from 'node:path';

// The built CLI (`npx tsc -p tsconfig.json` first, as for the other CLI tests): main.ts finds
// package.json relative to dist/, and this is the code `payops` runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildProgram } = require(path.resolve(__dirname, '../../dist/electron/cli/main.js')) as { buildProgram: () => Command };

const RUNS = process.env.PAYOPS_LONG ? 30_000 : 3_000;

interface Harness {
  program: Command;
  ran: string[];
  output: string[];
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

function harness(): Harness {
  const program = buildProgram();
  const ran: string[] = [];
  const output: string[] = [];
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => void output.push(s), writeErr: (s) => void output.push(s) });
    // Leaf commands (those with an action) record instead of running.
    if ((cmd as unknown as { _actionHandler: unknown })._actionHandler) {
      cmd.action(() => {
        ran.push(cmd.name());
      });
    }
  }
  return { program, ran, output };
}

// The vocabulary: every command name and every flag the program declares, plus junk.
const reference = harness().program;
const commandNames = allCommands(reference).slice(1).map((c) => c.name());
const flags = [...new Set(allCommands(reference).flatMap((c) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f))))];

const value = fc.oneof(
  fc.constantFrom('0', '-1', '1', '1.5', '1e999', 'NaN', 'Infinity', '', ' ', '-', '--', 'max', 'first', 'last', '@0', '2026-11-23T05:00:00Z'),
  fc.constantFrom('amqp://guest:guest@127.0.0.1:5672', 'amqps://u:p@h/vh', 'http://x', 'amqp://', 'amqp://[::1', '/tmp/x.db', 'a.ndjson.gz'),
  fc.constantFrom('classic', 'quorum', 'stream', 'topic', 'full', 'normal', 'csv', 'html', 'pdf', 'json', 'yaml'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...flags) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...flags.filter((f) => f.startsWith('--'))), value).map(([f, v]) => `${f}=${v}`) },
  { weight: 4, arbitrary: value },
  { weight: 1, arbitrary: fc.constantFrom('--help', '-h', '--version', '-V', '--no-such-flag', '-Z', 'help') },
);

const argv = fc.tuple(fc.option(fc.constantFrom(...commandNames), { nil: undefined, freq: 8 }), fc.array(token, { maxLength: 12 })).map(([cmd, rest]) =>
  cmd ? [cmd, ...rest] : rest,
);

let exitSpy: MockInstance;
let stdoutSpy: MockInstance;
let stderrSpy: MockInstance;
beforeAll(() => {
  exitSpy = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`process.exit(${code}) called during argument parsing`);
  }) as never);
  stdoutSpy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderrSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  exitSpy.mockRestore();
  stdoutSpy.mockRestore();
  stderrSpy.mockRestore();
});

function parseOnce(args: string[]): { outcome: 'ran' | 'commander'; error?: CommanderError; h: Harness } {
  const h = harness();
  try {
    h.program.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { outcome: 'commander', error: err, h };
    throw new Error(`argv ${JSON.stringify(args)} threw ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`);
  }
  return { outcome: 'ran', h };
}

describe('CLI arguments under random argv', () => {
  it('every argv parses or fails with a clear message; never an uncaught exception or process.exit', () => {
    const seen = { ran: 0, errors: 0, help: 0 };
    fc.assert(
      fc.property(argv, (args) => {
        const r = parseOnce(args);
        if (r.outcome === 'ran') {
          // A parse that succeeded ran exactly one command's action.
          expect(r.h.ran.length).toBe(1);
          seen.ran += 1;
          return;
        }
        const e = r.error!;
        expect(typeof e.code).toBe('string');
        if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(e.code)) {
          expect(r.h.output.join('').length).toBeGreaterThan(0);
          seen.help += 1;
          return;
        }
        seen.errors += 1;
        // The message says what is wrong, once, in words (commander prefixes "error:").
        expect(e.message).toMatch(/^error: \S/);
        expect(e.message.length).toBeLessThan(2000);
        expect(e.exitCode).not.toBe(0);
        expect(r.h.output.join('')).toContain(e.message);
      }),
      { numRuns: RUNS },
    );
    // The generator reaches all three outcomes, so the property is not vacuous.
    expect(seen.ran).toBeGreaterThan(0);
    expect(seen.errors).toBeGreaterThan(0);
    expect(seen.help).toBeGreaterThan(0);
    expect(exitSpy).not.toHaveBeenCalled();
  }, 120_000);

  it('every command has --help, and bad numbers name the flag', () => {
    for (const name of commandNames) {
      const r = parseOnce([name, '--help']);
      expect(r.error?.code, name).toBe('commander.helpDisplayed');
      expect(r.h.output.join(''), name).toMatch(/Usage: payops/);
    }
    const bad = parseOnce(['collect', '--amqp', 'amqp://127.0.0.1', '--db', 'x.db', '--batch-size', '-3']);
    expect(bad.error?.message).toMatch(/--batch-size must be a positive whole number/);
    const mb = parseOnce(['collect', '--amqp', 'amqp://127.0.0.1', '--db', 'x.db', '--max-db-mb', 'lots']);
    expect(mb.error?.message).toMatch(/--max-db-mb must be a positive number/);
    expect(parseOnce(['collect', '--amqp', 'amqp://127.0.0.1', '--db', 'x.db', '--max-db-mb', '0.5']).outcome).toBe('ran');
    // Found by the fuzzer: a repeatable flag after its negation threw "previous is not iterable".
    expect(parseOnce(['report', '--db', 'x.db', '--no-mask', '--mask=iban']).outcome).toBe('ran');
    expect(parseOnce(['report', '--db', 'x.db', '--mask', 'iban', '--no-mask']).outcome).toBe('ran');
  });
});
