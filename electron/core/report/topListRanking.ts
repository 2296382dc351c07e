// A report's top lists (merchants, countries, card BINs, decline codes) ranked from their counts,
// after masking (keys that mask alike add up), and the buckets of its chart series.
import type { ReportData } from '../../../shared/explorer';
import { declineCodeInfo } from '../../../shared/declineCodes';
import { formatInteger, formatNumber } from '../../../shared/format';
import type { Masker } from './masking';

export interface TopLists {
  topMerchants: ReportData['topMerchants'];
  topMerchantsTied: number;
  topCountries: ReportData['topCountries'];
  topDeclineCodes: ReportData['topDeclineCodes'];
  topCardBins: ReportData['topCardBins'];
}

/** Counts of a window's events and declines per merchant, country and BIN, and declines per code. */
export interface TopCounts {
  merchants: Map<string, [events: number, declines: number]>;
  countries: Map<string, [events: number, declines: number]>;
  bins: Map<string, [events: number, declines: number]>;
  codes: Map<string, number>;
}

/** The top `topN` of each list, ranked after masking (keys that mask alike add up). */
export function rankTopLists({ merchants, countries, bins, codes }: TopCounts, masker: Masker, topN: number): TopLists {
  let merchantsTied = 0;
  const top = <T>(m: Map<string, [number, number]>, label: string, make: (k: string, c: [number, number]) => T, tied?: (n: number) => void): T[] => {
    // Masking may merge keys ("424242" and "421234" both become "42****"): merge, then rank.
    const merged = new Map<string, [number, number]>();
    for (const [k, c] of m) {
      const mk = String(masker.value(label, k));
      const e = merged.get(mk);
      if (e) {
        e[0] += c[0];
        e[1] += c[1];
      }
      else merged.set(mk, [c[0], c[1]]);
    }
    const ranked = [...merged].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // How many share the first's count, counted past the list too.
    if (tied && ranked.length) {
      const after = ranked.findIndex(([, c]) => c[0] !== ranked[0][1][0]);
      tied(after < 0 ? ranked.length : after);
    }
    return ranked.slice(0, topN).map(([k, c]) => make(k, c));
  };
  const topMerchants = top(merchants, 'merchantId', (merchantId, [events, declines]) => ({ merchantId, events, declines }), (n) => (merchantsTied = n));
  return {
    topMerchants,
    topMerchantsTied: merchantsTied,
    topCountries: top(countries, 'country', (country, [events, declines]) => ({ country, events, declines })),
    topCardBins: top(bins, 'cardBin', (cardBin, [events, declines]) => ({ cardBin, events, declines })),
    topDeclineCodes: [...codes]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, topN)
      .map(([declineCode, events]) => {
        const d = declineCodeInfo(declineCode === 'unknown' ? null : declineCode);
        return { declineCode: String(masker.scrub(declineCode)), events, meaning: d.meaning, kind: d.kind };
      }),
  };
}

/** Chart buckets: the smallest of these (seconds) that keeps a series within its points. */
const NICE_BUCKETS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function bucketFor(durationMs: number, maxPoints = 120): number {
  const wanted = durationMs / 1000 / maxPoints;
  return (NICE_BUCKETS_S.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400) * 1000;
}

const BUCKET_UNITS: [ms: number, unit: string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
];

/** A chart bucket as a reader says it: "12 h", "15 min", "90 min", "30 s" (the largest unit it is a whole number of). */
export function bucketText(bucketMs: number): string {
  for (const [ms, unit] of BUCKET_UNITS) if (bucketMs >= ms && bucketMs % ms === 0) return `${formatInteger(bucketMs / ms)} ${unit}`;
  return `${formatNumber(bucketMs / 1000, 3)} s`;
}
