import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createConsoleBackend } from '../../core/host/consoleBackend';
import { MemorySecretStore } from '../../core/secrets/secretStore';
import { startWebHost } from '../../web/webHost';
import { CliError, fail } from '../cliErrors';
import { addBrokerFlags, brokerConfigFrom, portNumber, type BrokerFlags } from '../cliOptions';
import { defaultLiveDb, rendererDir } from '../defaultPaths';
import { logLine } from '../logLine';

interface ServeFlags extends BrokerFlags {
  db: string;
  port: number;
  demo?: boolean;
  rules?: string;
  readOnly?: boolean;
  follow?: string;
}

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('serve the console on http://127.0.0.1 (loopback only, with a token) for a browser, a wall screen or CI');
  addBrokerFlags(cmd, false)
    .option('--db <file>', 'live database', defaultLiveDb())
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', portNumber('--port'), 0)
    .option('--demo', 'start in demo mode: the built-in simulator, no broker needed, clearly labelled')
    .option('--rules <file>', 'alert rules (YAML or JSON) instead of the default pack')
    .option('--read-only', 'disable re-publishing and other actions that write to a broker')
    .option('--follow <stream>', "a follower console: show the metrics stream a collector publishes (collect --publish-metrics) instead of consuming raw events")
    .action((flags: ServeFlags) => runServe(flags).catch(fail));
}

async function runServe(flags: ServeFlags): Promise<void> {
  if (flags.follow && !flags.amqp) throw new CliError('--follow <stream> needs the broker: --amqp <url> (or PAYOPS_AMQP_URL)');
  const dir = rendererDir();
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new CliError(`the renderer is not built (${dir}); run \`npm run build\``);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('../../../../package.json') as { version: string };
  const backend = await createConsoleBackend({
    dbFile: flags.db,
    host: 'web',
    secrets: new MemorySecretStore(),
    demo: flags.demo ?? false,
    broker: brokerConfigFrom(flags),
    readOnly: flags.readOnly ?? false,
    rulesFile: flags.rules ?? null,
    follow: flags.follow,
    version,
    log: logLine,
  });
  const host = await startWebHost({ backend, rendererDir: dir, port: flags.port });
  process.stdout.write(`payops console: ${host.url}\n`);
  const stop = async (signal: string) => {
    logLine(`${signal}: stopping the web host and the engine`);
    await host.close();
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
