// The simulated world: merchants, card issuers and markets. Fixed tables (not drawn
// from the seed) so merchant ids and issuers mean the same thing in every run.

export interface Market {
  country: string;
  currency: string;
  /** Relative share of traffic. */
  weight: number;
}

export const MARKETS: readonly Market[] = [
  { country: 'DE', currency: 'EUR', weight: 18 },
  { country: 'FR', currency: 'EUR', weight: 12 },
  { country: 'NL', currency: 'EUR', weight: 7 },
  { country: 'ES', currency: 'EUR', weight: 7 },
  { country: 'IT', currency: 'EUR', weight: 7 },
  { country: 'GB', currency: 'GBP', weight: 16 },
  { country: 'US', currency: 'USD', weight: 20 },
  { country: 'SE', currency: 'SEK', weight: 4 },
  { country: 'PL', currency: 'PLN', weight: 4 },
  { country: 'CH', currency: 'CHF', weight: 3 },
  { country: 'JP', currency: 'JPY', weight: 2 },
];

export interface Issuer {
  name: string;
  /** An issuer owns its BIN ranges, all on one scheme. */
  bins: readonly string[];
  scheme: string;
  weight: number;
}

// BINs shaped like real ranges (Visa 4..., Mastercard 5... and 2221-2720, Amex 34/37...).
export const ISSUERS: readonly Issuer[] = [
  { name: 'northbank', bins: ['431940', '454313', '476173'], scheme: 'visa', weight: 22 },
  { name: 'harbor-credit', bins: ['520082', '535522', '542418'], scheme: 'mastercard', weight: 18 },
  { name: 'alpine-savings', bins: ['401288', '417500'], scheme: 'visa', weight: 14 },
  { name: 'metro-card', bins: ['510510', '555555', '222300'], scheme: 'mastercard', weight: 16 },
  { name: 'lumen-bank', bins: ['424242', '498765'], scheme: 'visa', weight: 14 },
  { name: 'coast-federal', bins: ['371449', '378282'], scheme: 'amex', weight: 8 },
  { name: 'orbit-neobank', bins: ['489537', '447532'], scheme: 'visa', weight: 8 },
  // One BIN range only, so that its outage (the issuer-outage scenario) is one issuer and one BIN.
  { name: 'tamarind-card', bins: ['529412'], scheme: 'mastercard', weight: 10 },
];

/** Acquirers (processors) that carry the attempts; each merchant is served by one. */
export const ACQUIRERS = ['acq-lighthouse', 'acq-meridian', 'acq-tidewater'] as const;

const MCCS = ['5411', '5812', '5999', '4121', '5732', '7011', '5691'] as const;

export type PaymentMethod = 'card' | 'wallet' | 'bank_transfer';

export interface Merchant {
  merchantId: string;
  /** The merchant's home market (most of its customers pay in its currency). */
  market: Market;
  /** Typical basket in major units; amounts are drawn around it. */
  medianAmount: number;
  weight: number;
  acquirer: string;
  /** ISO 18245 merchant category code. */
  mcc: string;
  /** Issuer decline probability for this merchant's payments in calm traffic. */
  declineRate: number;
}

/** A merchant that always declines far more than the rest (risky category); mix-shift grows it. */
export const HIGH_DECLINE_MERCHANT_ID = 'm_1038';

const MERCHANT_COUNT = 40;

function buildMerchants(): Merchant[] {
  const merchants: Merchant[] = [];
  for (let i = 0; i < MERCHANT_COUNT; i++) {
    // A few large merchants and a long tail, like real acquiring portfolios.
    const weight = i < 4 ? 12 : i < 12 ? 4 : 1;
    merchants.push({
      merchantId: `m_${1000 + i}`,
      market: MARKETS[(i * 7) % MARKETS.length],
      medianAmount: [12, 25, 40, 65, 90, 150, 320][(i * 3) % 7],
      weight,
      acquirer: ACQUIRERS[i % ACQUIRERS.length],
      mcc: MCCS[(i * 5) % MCCS.length],
      declineRate: `m_${1000 + i}` === HIGH_DECLINE_MERCHANT_ID ? 0.35 : 0.04,
    });
  }
  return merchants;
}

export const MERCHANTS: readonly Merchant[] = buildMerchants();

// ISO 8583 response codes as issuers send them.
export const DECLINE_CODES = {
  doNotHonor: '05',
  insufficientFunds: '51',
  expiredCard: '54',
  exceedsLimit: '61',
  issuerUnavailable: '91',
  suspectedFraud: '59',
  invalidCardNumber: '14',
} as const;

/** How ordinary issuer declines spread over codes in normal traffic. */
export const NORMAL_DECLINE_MIX: readonly (readonly [string, number])[] = [
  [DECLINE_CODES.doNotHonor, 35],
  [DECLINE_CODES.insufficientFunds, 40],
  [DECLINE_CODES.expiredCard, 10],
  [DECLINE_CODES.exceedsLimit, 12],
  [DECLINE_CODES.issuerUnavailable, 3],
];

export const FAILURE_REASONS = ['timeout', 'processor_error', 'network_error'] as const;

export const RISK_RULES = {
  velocity: 'velocity_card_1h',
  countryMismatch: 'bin_country_mismatch',
  highAmount: 'amount_over_p99',
  newDevice: 'new_device',
  cardTesting: 'card_testing_pattern',
  ipReputation: 'ip_reputation',
} as const;

export const SOURCES = {
  gateway: 'psp/gateway',
  authorizer: 'psp/authorizer',
  settlement: 'psp/settlement',
  disputes: 'psp/disputes',
  risk: 'risk/engine',
} as const;
