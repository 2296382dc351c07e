// The report's figures as cells are counted into them (per type, authorized amount per currency,
// declines per code, failures, risk decisions), and what is settled once all are in: sorted
// keys, soft and hard declines, rates. The rollups' sums and a walk over events count alike.
import type { ReportFigures } from '../../../shared/explorer';
import { declineCodeInfo } from '../../../shared/declineCodes';

export function emptyFigures(): ReportFigures {
  return {
    events: 0,
    byType: {},
    authorizedAmountByCurrency: {},
    authorized: 0,
    declined: 0,
    failed: 0,
    approvalRate: null,
    payments: 0,
    approvedPayments: 0,
    paymentApprovalRate: null,
    declineRate: null,
    declinesByCode: {},
    softDeclines: 0,
    hardDeclines: 0,
    riskDecisions: {},
    eventsPerSecond: 0,
  };
}

export const bump = (m: Record<string, number>, k: string, n: number) => (m[k] = (m[k] ?? 0) + n);

export function addCell(f: ReportFigures, dim: string, key: string, n: number, amount: number): void {
  switch (dim) {
    case 'type':
      f.events += n;
      bump(f.byType, key, n);
      break;
    case 'authorized':
      f.authorized += n;
      bump(f.authorizedAmountByCurrency, key, amount);
      break;
    case 'decline':
      f.declined += n;
      bump(f.declinesByCode, key, n);
      break;
    case 'failed':
      f.failed += n;
      break;
    case 'decision':
      bump(f.riskDecisions, key, n);
      break;
  }
}

export function sortKeys(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Sorted keys, soft and hard declines, and the rates of counted figures of [from, to). */
export function settleFigures(f: ReportFigures, from: number, to: number): ReportFigures {
  f.byType = sortKeys(f.byType);
  f.authorizedAmountByCurrency = sortKeys(f.authorizedAmountByCurrency);
  f.declinesByCode = sortKeys(f.declinesByCode);
  f.riskDecisions = sortKeys(f.riskDecisions);
  for (const [code, n] of Object.entries(f.declinesByCode)) {
    if (declineCodeInfo(code === 'unknown' ? null : code).kind === 'hard') f.hardDeclines += n;
    else f.softDeclines += n;
  }
  // Per attempt, as explain, segment health and the alert rules count them (and the report's
  // own explanation section): a technical failure is an attempt that was not approved.
  const attempts = f.authorized + f.declined + f.failed;
  f.approvalRate = attempts > 0 ? f.authorized / attempts : null;
  f.declineRate = attempts > 0 ? f.declined / attempts : null;
  f.paymentApprovalRate = f.payments > 0 ? Math.min(1, f.approvedPayments / f.payments) : null;
  f.eventsPerSecond = f.events / ((to - from) / 1000);
  return f;
}
