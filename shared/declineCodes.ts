// What a decline code means: the issuer or scheme response code a `payment.declined` event
// carries (EVENTS.md: ISO 8583 field 39 style, "05", "51", "91"...), its meaning, whether it
// is a soft or a hard decline, and what to do about it. Shown beside every decline code the
// console prints (explorer, payment timeline, reports) and reused wherever a code is judged.
//
// Sources: ISO 8583:1987 field 39 response codes as the card schemes use them, and Visa's
// decline categories (Visa Core Rules, "Excessive reattempts", in force since April 2021 and
// updated October 2022; Checkout.com's and Forte's published tables list them):
//   category 1  issuer will never approve         → never retry
//   category 2  issuer cannot approve at this time → retry later (at most 15 times in 30 days)
//   category 3  cannot approve with these details  → retry only with new or extra data
//   category 4  every other code (generic)         → retry later
// payops's two kinds follow from them:
//   hard  the same request will not be approved again (categories 1 and 3): do not retry it
//         as it is; a new card, new details or cardholder authentication is needed;
//   soft  the same request may be approved later (categories 2 and 4): a bounded retry helps.
// Mastercard and most acquirers use the same ISO codes with the same meaning; where a scheme
// uses a code differently (Mastercard "65": strong customer authentication required in the
// EEA) the note says so. A code not in the table is generic (category 4): soft.
// Pure data: shared/ imports nothing.

export type DeclineKind = 'soft' | 'hard';
export type RetryAdvice = 'never' | 'later' | 'with-new-data';

export interface DeclineCodeInfo {
  code: string;
  meaning: string;
  kind: DeclineKind;
  retry: RetryAdvice;
  /** Visa's decline category (1-4). */
  visaCategory: 1 | 2 | 3 | 4;
  /** False for a code that is not in the table (a generic decline, category 4). */
  known: boolean;
  note?: string;
}

type Row = [code: string, meaning: string, category: 1 | 2 | 3 | 4, note?: string];

const ROWS: Row[] = [
  ['01', 'Refer to card issuer', 4, 'the issuer wants a voice authorisation'],
  ['02', 'Refer to card issuer, special condition', 4],
  ['03', 'Invalid merchant', 2, 'the acquirer or issuer does not know this merchant: check its configuration'],
  ['04', 'Pick up card (no fraud)', 1],
  ['05', 'Do not honor', 4, 'generic decline without a reason'],
  ['06', 'Error', 4],
  ['07', 'Pick up card, special condition (fraud)', 1],
  ['12', 'Invalid transaction', 1],
  ['13', 'Invalid amount', 3, 'the amount or a currency conversion field is wrong'],
  ['14', 'Invalid card number (no such number)', 1],
  ['15', 'No such issuer', 1],
  ['19', 'Re-enter transaction', 2],
  ['21', 'No action taken', 4],
  ['25', 'Unable to locate record', 4],
  ['28', 'File temporarily unavailable', 2],
  ['30', 'Format error', 3, 'the authorisation message is malformed'],
  ['39', 'No credit account', 1],
  ['41', 'Lost card, pick up', 1],
  ['43', 'Stolen card, pick up', 1],
  ['46', 'Closed account', 1],
  ['51', 'Insufficient funds', 2],
  ['52', 'No checking account', 1],
  ['53', 'No savings account', 1],
  ['54', 'Expired card', 3, 'a new expiry date (or card) is needed'],
  ['55', 'Incorrect PIN', 3],
  ['57', 'Transaction not permitted to cardholder', 1],
  ['58', 'Transaction not permitted to terminal', 1],
  ['59', 'Suspected fraud', 2, 'retry only with cardholder authentication (3-D Secure)'],
  ['61', 'Exceeds withdrawal amount limit', 2],
  ['62', 'Restricted card', 2, 'not valid in this region or for this kind of purchase'],
  ['63', 'Security violation', 3],
  ['65', 'Exceeds withdrawal frequency limit', 2, 'Mastercard (EEA): strong customer authentication required'],
  ['75', 'Allowable PIN tries exceeded', 2],
  ['78', 'Blocked, first used (card not activated)', 2],
  ['82', 'Negative CVV result', 3],
  ['86', 'Cannot verify PIN', 2],
  ['91', 'Issuer or switch inoperative', 2, 'an outage at the issuer or the network, not the cardholder'],
  ['92', 'Destination cannot be found for routing', 2],
  ['93', 'Transaction cannot be completed (violation of law)', 2],
  ['94', 'Duplicate transmission', 1, 'the same authorisation was already received'],
  ['96', 'System malfunction', 2],
  ['1A', 'Additional customer authentication required', 3, 'strong customer authentication (3-D Secure) is needed'],
  ['6P', 'Verification data failed', 3],
  ['N3', 'Cash service not available', 2],
  ['N4', 'Cash request exceeds issuer limit', 2],
  ['N7', 'Decline for CVV2 failure', 3],
  ['R0', 'Stop payment order', 1, 'the cardholder stopped this recurring payment'],
  ['R1', 'Revocation of authorisation order', 1],
  ['R3', 'Revocation of all authorisations order', 1],
];

const RETRY: Record<1 | 2 | 3 | 4, RetryAdvice> = { 1: 'never', 2: 'later', 3: 'with-new-data', 4: 'later' };
const KIND: Record<1 | 2 | 3 | 4, DeclineKind> = { 1: 'hard', 2: 'soft', 3: 'hard', 4: 'soft' };

function info([code, meaning, category, note]: Row, known = true): DeclineCodeInfo {
  return { code, meaning, kind: KIND[category], retry: RETRY[category], visaCategory: category, known, ...(note ? { note } : {}) };
}

/** The documented codes, in code order. */
export const DECLINE_CODES: readonly DeclineCodeInfo[] = ROWS.map((r) => info(r));
const BY_CODE = new Map(DECLINE_CODES.map((d) => [d.code, d]));

/**
 * The meaning of a decline code as received: exact, else upper-cased, else a one-digit
 * numeric code padded ("5" → "05"). A code not in the table is a generic decline (soft).
 */
export function declineCodeInfo(code: string | null | undefined): DeclineCodeInfo {
  const raw = (code ?? '').trim();
  const found = BY_CODE.get(raw) ?? BY_CODE.get(raw.toUpperCase()) ?? (/^\d$/.test(raw) ? BY_CODE.get(`0${raw}`) : undefined);
  if (found) return found;
  return info([raw || 'unknown', raw ? 'Not in the payops table of response codes (a generic decline)' : 'No decline code given', 4], false);
}

/** "51 Insufficient funds (soft)": a code with its meaning, for tables and summaries. */
export function describeDeclineCode(code: string | null | undefined): string {
  const d = declineCodeInfo(code);
  return d.known ? `${d.code} ${d.meaning} (${d.kind})` : `${d.code} (${d.kind}, not in the code table)`;
}

/** What the retry advice means, in words. */
export const RETRY_ADVICE_TEXT: Record<RetryAdvice, string> = {
  never: 'do not retry: the issuer will never approve it',
  later: 'may be approved later: retry within limits (Visa: at most 15 times in 30 days)',
  'with-new-data': 'retry only with new or additional data (card details, PIN, authentication)',
};
