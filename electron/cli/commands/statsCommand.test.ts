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
});
