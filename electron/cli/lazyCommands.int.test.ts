// The CLI loads only the command it runs (a start no longer pays for all fifteen), while its
// help, commands and flags stay exactly what the full program declares: they are a contract.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';

const MAIN = path.resolve(__dirname, '../../dist/electron/cli/main.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildProgram, COMMAND_NAMES } = require(MAIN) as { buildProgram: (argv?: readonly string[]) => Command; COMMAND_NAMES: readonly string[] };

const CONTRACT = ['collect', 'follow', 'stats', 'compact', 'serve', 'simulate', 'replay', 'publish', 'report', 'alerts', 'backtest', 'queues', 'dead-letters', 'notifications', 'explain'];

function flagsOf(cmd: Command): string[] {
  return cmd.options.map((o) => o.flags);
}

describe('payops loads commands on demand', () => {
  it('the root help (payops --help) lists every command, as the full program does', () => {
    const full = buildProgram();
    expect(full.commands.map((c) => c.name())).toEqual(CONTRACT);
    expect(COMMAND_NAMES).toEqual(CONTRACT);
    for (const argv of [['--help'], ['help'], ['--version'], [], ['no-such-command']]) {
      const program = buildProgram(['node', 'payops', ...argv]);
      expect(program.commands.map((c) => c.name())).toEqual(CONTRACT);
      expect(program.helpInformation()).toBe(full.helpInformation());
    }
  });

  it.each(CONTRACT)('payops %s registers that command alone, with the same help and flags', (name) => {
    const full = buildProgram().commands.find((c) => c.name() === name) as Command;
    const lazy = buildProgram(['node', 'payops', name, '--help']);
    expect(lazy.commands.map((c) => c.name())).toEqual([name]);
    expect(lazy.commands[0].helpInformation()).toBe(full.helpInformation());
    expect(flagsOf(lazy.commands[0])).toEqual(flagsOf(full));
    expect(lazy.commands[0].commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
  });

  it('payops stats loads neither the broker client, the WebSocket server nor the engine', () => {
    const script = `
      require(${JSON.stringify(MAIN)}).buildProgram(['node', 'payops', 'stats']);
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(loaded.some((f) => f.includes(`${path.sep}statsCommand.js`))).toBe(true);
    for (const heavy of [`node_modules${path.sep}amqplib${path.sep}`, `node_modules${path.sep}ws${path.sep}`, `${path.sep}collectCommand.js`, `${path.sep}serveCommand.js`]) {
      expect(loaded.filter((f) => f.includes(heavy))).toEqual([]);
    }
  });
});
