import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../../core/store/database';
import { storeOn } from '../../core/store/store';
import { formatStatsText } from './statsCommand';

const dir = tempDir('payops-stats-');

describe('payops stats (text)', () => {
  it('prints authorized amounts in major units with ISO decimals; the JSON keeps minor units', () => {
    const db = openDatabase(path.join(dir, 'stats.db'));
    try {
      const amounts: [string, number][] = [['BHD', 3744], ['EUR', 103_891], ['JPY', 4549], ['KWD', 93_430]];
      storeEvents(db, amounts.map(([currency, amount], i) => ({
        specversion: '1.0', id: `st-${i}`, source: 'psp', type: 'payment.authorized', time: new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString(),
        data: { paymentId: `p${i}`, merchantId: 'm_1', amount, currency },
      })));
      const stats = storeOn(db).stats();
      expect(stats.authorizedAmountByCurrency).toEqual({ BHD: 3744, EUR: 103_891, JPY: 4549, KWD: 93_430 });
      expect(formatStatsText(stats).split('\n')).toContain('authorized    3.744 BHD, 1,038.91 EUR, 4,549 JPY, 93.430 KWD');
    } finally {
      db.close();
    }
  });

  it('says "about" for a sum past 2^53 minor units (summed in floating point), and prints a zero amount as 0', () => {
    const db = openDatabase(path.join(dir, 'stats-large.db'));
    try {
      const amounts: [string, number][] = [['EUR', Number.MAX_SAFE_INTEGER], ['EUR', Number.MAX_SAFE_INTEGER], ['EUR', Number.MAX_SAFE_INTEGER], ['EUR', 1], ['JPY', 0], ['KWD', 1250]];
      storeEvents(db, amounts.map(([currency, amount], i) => ({
        specversion: '1.0', id: `big-${i}`, source: 'psp', type: 'payment.authorized', time: new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString(),
        data: { paymentId: `p${i}`, merchantId: 'm_1', amount, currency },
      })));
      const stats = storeOn(db).stats();
      // 3 × (2^53 − 1) + 1 is 27,021,597,764,222,974: no double holds it, so the figure is near it, not it.
      expect(Number.isSafeInteger(stats.authorizedAmountByCurrency.EUR)).toBe(false);
      const line = formatStatsText(stats).split('\n').find((l) => l.startsWith('authorized'));
      expect(line).toMatch(/^authorized {4}about 270,215,977,642,229\.\d\d EUR, 0 JPY, 1\.250 KWD$/);
    } finally {
      db.close();
    }
  });
});
