import os from 'node:os';
import { countText } from '../../../shared/countText';
import readline from 'node:readline';
import { Option, type Command } from 'commander';
import { DEFAULT_RULES } from '../../core/alerts/defaultRules';
import { loadRulesFile } from '../../core/alerts/loadRulesFile';
import { browseDeadLetterInputs, dryRun, MAX_BROWSE } from '../../core/broker/deadLetterBrowse';
import { DeliveryLimitRefusal } from '../../core/broker/deadLetterDeliveryLimit';
import { describeDeadLetter } from '../../core/broker/deadLetterMessage';
import { replayIntoSandbox } from '../../core/deadLetters/deadLetterSandbox';
import { redriveDeadLetters, RedriveRefusedError } from '../../core/broker/deadLetterRedrive';
import { managementClientFor } from '../../core/broker/watchedQueues';
import { isReadOnlyEnv } from '../../core/replay/capturePublisher';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { positiveInt, positiveNumber, repeatable } from '../cliOptions';
import { logLine } from '../logLine';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';
import { printJson, printResult, printText, visible } from '../terminalText';

interface DeadLetterFlags {
  amqp: string;
  management?: string;
  count: number;
  dryRun?: boolean;
  redrive?: boolean;
  id?: string[];
  copy?: string[];
  rate: number;
  yes?: boolean;
  readOnly?: boolean;
  db?: string;
  rules?: string;
  json?: boolean;
  /** false with --no-mask. */
  mask?: boolean;
}

const HELP_AFTER = `
Without --dry-run or --redrive: browse (the management API's get with requeue: nothing is consumed).
A quorum queue counts each requeue as a delivery (x-delivery-count, shown per message) and drops a
message at its delivery limit, so a quorum queue with one (x-delivery-limit, a policy's delivery-limit,
RabbitMQ 4.x's default of 20) is refused: browse, dry run and redrive alike (shovel it to a classic
queue, or raise or remove the limit).
--dry-run also replays the selection into a sandbox session (a temp database, deleted afterwards)
and prints, under "sandbox", what would be stored, duplicated (against --db), quarantined, and
which alert rules (--rules) would fire.
--redrive sends the selection (--id and --copy, repeatable; default all browsed) to the exchange and routing key
of each message's first death (x-death), with publisher confirms, at --rate per second, and removes a
message from the dead-letter queue only after the broker confirmed its re-publish. It names the count
and targets and asks (or --yes); read-only mode (PAYOPS_READ_ONLY=1 or --read-only) refuses. Every step
is written to the audit log of --db (required), which incident reports include.
--id selects every browsed message with that id (a redrive sends one message per --id given);
--copy selects one message, by the copy id browsing prints (copy:...), so one of two messages with
one id can be dry-run or redriven alone.
What browsing and a dry run print (body previews, quarantine reasons, ids) is masked as exports
mask it (card numbers, IBANs, e-mail addresses, credentials); --no-mask prints it as received.`;

export function registerDeadLetters(program: Command): void {
  const command = program
    .command('dead-letters')
    .description('browse a dead-letter queue without consuming it, dry-run it, or redrive it home (audited)')
    .argument('<queue>', 'the dead-letter queue')
    .addOption(new Option('--amqp <url>', 'broker URL (or PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL').makeOptionMandatory())
    .option('--management <url>', 'management API (default: the AMQP host, port 15672)')
    .option('--count <n>', 'messages to browse', positiveInt('--count'), 100)
    .option('--dry-run', 'show what the console would store and quarantine, and where a redrive would send them')
    .option('--redrive', 'send the selection home (confirms, rate limit, audit log)')
    .option('--id <messageId>', 'a message to redrive, repeatable (default: every browsed message)', repeatable)
    .option('--copy <copyId>', 'one copy of a message (copy:..., as browsing prints it), repeatable', repeatable)
    .option('--rate <n>', 'redrive: messages per second', positiveNumber('--rate'), 50)
    .option('--yes', 'redrive without asking (after printing the count and targets)')
    .option('--read-only', 'read-only mode: refuse a redrive (as PAYOPS_READ_ONLY=1 does)')
    .option('--db <file>', 'the console database whose audit log records the redrive (and, for --dry-run, whose events count as duplicates)')
    .option('--rules <file>', '--dry-run: the alert rules evaluated in the sandbox (default: the default pack)')
    .option('--json', 'print JSON')
    .addHelpText('after', HELP_AFTER);
  addNoMaskOption(command).action((queue: string, flags: DeadLetterFlags) => run(queue, flags).catch(fail));
}

async function run(queue: string, flags: DeadLetterFlags): Promise<void> {
  const readOnly = (flags.readOnly ?? false) || isReadOnlyEnv();
  const management = managementClientFor({ url: flags.amqp, managementUrl: flags.management });
  if (!management) throw new CliError('browsing a dead-letter queue needs the management API (--management)');
  const action = flags.redrive ? 'redrive' : flags.dryRun ? 'dry-run' : 'browse';
  // One browse returns at most MAX_BROWSE messages, from the head of the queue: said, not cut silently.
  if (flags.count > MAX_BROWSE) logLine(`--count ${flags.count}: at most ${MAX_BROWSE} messages are browsed at a time (the first ${MAX_BROWSE} of the queue); the rest stay for another run`);
  const inputs = await browseDeadLetterInputs(management, queue, flags.count, action).catch((err: unknown) => {
    if (err instanceof DeliveryLimitRefusal) throw new CliError(err.message);
    throw err;
  });
  const browsed = inputs.map((input) => ({ input, message: describeDeadLetter(input) }));
  const ids = flags.id ?? [];
  const copies = flags.copy ?? [];
  const selects = flags.id !== undefined || flags.copy !== undefined;
  const byCopy = (m: { message: { copyId: string } }) => copies.includes(m.message.copyId);
  const selected = selects ? browsed.filter((m) => ids.includes(m.message.id) || byCopy(m)) : browsed;
  const selection = selected.map((m) => m.message);
  // An --id or --copy the browse did not see (a typo, or further down the queue than --count) is
  // named, never dropped without a word; a redrive with none of them found sends nothing and says so.
  const missing = [
    ...[...new Set(ids)].filter((id) => !browsed.some((m) => m.message.id === id)),
    ...[...new Set(copies)].filter((copy) => !browsed.some((m) => m.message.copyId === copy)),
  ];
  if (missing.length) {
    const flag = missing.every((x) => ids.includes(x)) ? '--id' : missing.every((x) => copies.includes(x)) ? '--copy' : '--id/--copy';
    const said = `${flag} ${missing.map((id) => JSON.stringify(id)).join(', ')}: not among the ${countText(browsed.length, 'message')} browsed (--count ${flags.count})`;
    if (flags.redrive && selection.length === 0) throw new CliError(`nothing to redrive: ${said}`);
    logLine(said);
  }
  if (!flags.redrive) {
    const masker = listingMasker(flags);
    const out = maskedListing(flags.dryRun ? { ...dryRun(selection), missing, sandbox: sandboxOf(selected.map((m) => m.input), flags) } : selection, masker);
    if (flags.json) printJson(out);
    // Pretty JSON for reading: C1 and bidi controls, which JSON.stringify leaves raw, as \uXXXX (the same JSON).
    else if (flags.dryRun) printText(`${JSON.stringify(out, null, 2)}\n`);
    else
      for (const m of maskedListing(selection, masker)) {
        const death = m.deaths[0];
        // One line per message: an id, type, reason, queue or routing key from the message's
        // headers is printed with its control characters and line breaks escaped.
        const line =
          `${m.id}  ${m.decoded.ok ? m.decoded.type : `quarantine: ${m.decoded.reason}`}  ` +
          `${death ? `${death.reason} x${death.count} in ${death.queue}` : 'no x-death'}  -> ${m.origin ? `${m.origin.exchange || '(default)'} / ${m.origin.routingKey}` : '?'}` +
          `${m.deliveryCount === undefined ? '' : `  (x-delivery-count ${m.deliveryCount})`}` +
          // Sent home and dead-lettered again: a poison message looping, not a new failure.
          `${m.redriven === undefined ? '' : `  (redriven ${m.redriven === null ? 'before' : `${countText(m.redriven, 'time')} before`}: it died again)`}` +
          // What --copy takes, to pick one of two messages with one id.
          `  ${m.copyId}`;
        printText(`${visible(line)}\n`);
      }
    return;
  }
  if (!flags.db) throw new CliError('--redrive needs --db <file>: every redrive is written to the audit log');
  const store = openStore(flags.db);
  try {
    const plan = dryRun(selection);
    const summary = visible(`redrive ${countText(selection.length - plan.noOrigin.length, 'message')} from ${queue} to ${plan.targets
      .map((t) => `${t.exchange || '(default exchange)'} / ${t.routingKey} (${t.count})`)
      .join(', ')}`);
    if (!readOnly) {
      if (flags.yes) logLine(`confirmed by --yes: ${summary}`);
      else if (!process.stdin.isTTY) throw new CliError(`refusing without confirmation (no terminal to ask on; pass --yes): would ${summary}`);
      else if (!(await ask(`${summary}?\nType y to redrive: `))) throw new CliError('not confirmed: nothing redriven');
    }
    const result = await redriveDeadLetters({
      url: flags.amqp,
      queue,
      // A message picked by --copy is sent as that copy; one picked by --id (or by default) by its id, as before.
      ids: selected.filter((m) => !byCopy(m)).map((m) => m.message.id),
      copies: selected.filter(byCopy).map((m) => m.message.copyId),
      audit: store.redriveAudit,
      management,
      actor: `${os.userInfo().username}@${os.hostname()} (cli)`,
      readOnly,
      ratePerSecond: flags.rate,
      onProgress: (p) => {
        if (!flags.json) logLine(`redriven ${p.redriven}`);
      },
    }).catch((err: unknown) => {
      if (err instanceof RedriveRefusedError) throw new CliError(err.message);
      throw err;
    });
    printResult(
      flags.json,
      flags.json
        ? `${JSON.stringify(result)}\n`
        : `redriven ${countText(result.redriven, 'message')} (confirmed by the broker, then removed from ${queue})` +
            `${result.removedOnly ? `; ${result.removedOnly} removed that an interrupted redrive had sent` : ''}` +
            `${result.failed.length ? `; ${result.failed.length} failed (left in ${queue})` : ''}` +
            `${result.skipped.length ? `; ${result.skipped.length} skipped` : ''}` +
            `${result.inDoubt.length ? `; ${result.inDoubt.length} in doubt (see the audit log)` : ''}\n`,
    );
    if (result.failed.length > 0) process.exitCode = 4;
  } finally {
    store.close();
  }
}

/** The dry run's sandbox session: --rules (or the default pack), duplicates against --db when given. */
function sandboxOf(inputs: Parameters<typeof replayIntoSandbox>[0], flags: DeadLetterFlags) {
  const rules = flags.rules ? loadRulesFile(flags.rules) : DEFAULT_RULES;
  const live = flags.db ? openStore(flags.db, { readonly: true }) : null;
  try {
    return replayIntoSandbox(inputs, { rules, stored: live?.events ?? null });
  } finally {
    live?.close();
  }
}

function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
