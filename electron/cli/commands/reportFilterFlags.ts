// `payops report`'s filter flags: the explorer's filter (shared/explorer.ts) from the command line,
// each flag the filter field's name in kebab case, validated by the explorer's own schema and read
// as its form reads them: values exact as given (a stored " m_1" is another merchant than "m_1"),
// amounts in major units of --currency with no more decimals than it has.
import type { Command } from 'commander';
import { parseMajorAmount } from '../../../shared/currencies';
import { eventFilterSchema, RISK_DECISIONS, type EventFilter } from '../../../shared/explorer';
import { THREE_DS_OUTCOMES } from '../../../shared/events/schemas';
import { CliError } from '../cliErrors';
import { positiveInt, repeatable } from '../cliOptions';

export interface FilterFlags {
  type?: string[];
  merchantId?: string;
  country?: string;
  declineCode?: string;
  decision?: string;
  currency?: string;
  amountMin?: string;
  amountMax?: string;
  search?: string;
  issuer?: string;
  cardBin?: string;
  scheme?: string;
  acquirer?: string;
  mcc?: string;
  threeDs?: string;
  method?: string;
  attemptMin?: number;
  attemptMax?: number;
}

/** The flag of each filter field (the field's name in kebab case; types is given one --type at a time). */
const FLAG_OF: Record<string, string> = {
  types: '--type', merchantId: '--merchant-id', country: '--country', declineCode: '--decline-code', decision: '--decision',
  currency: '--currency', amountMin: '--amount-min', amountMax: '--amount-max', search: '--search', issuer: '--issuer',
  cardBin: '--card-bin', scheme: '--scheme', acquirer: '--acquirer', mcc: '--mcc', threeDS: '--three-ds', method: '--method',
  attemptMin: '--attempt-min', attemptMax: '--attempt-max',
};

export function addFilterFlags(command: Command): Command {
  return command
    .option('--type <type>', 'only events of this type (repeatable)', repeatable)
    .option('--merchant-id <id>', 'only this merchant\'s events (exact)')
    .option('--country <code>', 'only events of this country (ISO 3166 alpha-2)')
    .option('--decline-code <code>', 'only declines with this code (exact)')
    .option('--decision <decision>', `only risk events with this decision: ${RISK_DECISIONS.join(', ')}`)
    .option('--currency <code>', 'only events in this currency (ISO 4217); required with an amount')
    .option('--amount-min <amount>', 'at least this amount, in --currency (12.50 EUR, 1250 JPY)')
    .option('--amount-max <amount>', 'at most this amount, in --currency')
    .option('--search <id>', 'only the events of this payment id, or the event with this id (exact)')
    .option('--issuer <issuer>', 'only payments of this issuer (exact)')
    .option('--card-bin <digits>', 'only payments whose card BIN starts with these 4 to 11 digits')
    .option('--scheme <scheme>', 'only payments of this card scheme')
    .option('--acquirer <acquirer>', 'only payments through this acquirer (exact)')
    .option('--mcc <code>', 'only payments of this merchant category code (4 digits)')
    .option('--three-ds <outcome>', `only payments with this 3-D Secure outcome: ${THREE_DS_OUTCOMES.join(', ')}`)
    .option('--method <method>', 'only payments with this method (exact)')
    .option('--attempt-min <n>', 'only attempts from this try of the payment on (2: the retries)', positiveInt('--attempt-min'))
    .option('--attempt-max <n>', 'only attempts up to this try of the payment', positiveInt('--attempt-max'));
}

/** The explorer filter the flags give, or undefined with none; a CliError naming the flag when one is wrong. */
export function filterOfFlags(flags: FilterFlags): EventFilter | undefined {
  const filter: Record<string, unknown> = {
    types: flags.type,
    merchantId: flags.merchantId,
    country: flags.country,
    declineCode: flags.declineCode,
    decision: flags.decision,
    currency: flags.currency,
    search: flags.search,
    issuer: flags.issuer,
    cardBin: flags.cardBin,
    scheme: flags.scheme,
    acquirer: flags.acquirer,
    mcc: flags.mcc,
    threeDS: flags.threeDs,
    method: flags.method,
    attemptMin: flags.attemptMin,
    attemptMax: flags.attemptMax,
  };
  const currency = flags.currency?.trim().toUpperCase();
  for (const field of ['amountMin', 'amountMax'] as const) {
    const typed = flags[field];
    if (typed === undefined) continue;
    // An amount means nothing without its currency (1,000 JPY is not 1,000 EUR).
    if (currency === undefined) throw new CliError(`${FLAG_OF[field]} needs --currency: say which currency the amount is in`);
    if (!/^[A-Z]{3}$/.test(currency)) break; // the schema names --currency
    const parsed = parseMajorAmount(typed, currency);
    if (!parsed.ok) throw new CliError(`${FLAG_OF[field]}: ${parsed.message}`);
    filter[field] = parsed.minor;
  }
  const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length === 0) return undefined;
  const parsed = eventFilterSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? '');
  throw new CliError(`${FLAG_OF[field] ?? field}: ${issue.message}`);
}
