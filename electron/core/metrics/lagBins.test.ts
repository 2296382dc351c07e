import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LAG_UPPER, lagBin, lagBinSql } from './lagBins';

describe('lagBinSql', () => {
  it('gives the bin lagBin gives, at every edge, beside it and far past the last', () => {
    const db = new Database(':memory:');
    const bin = db.prepare(`SELECT ${lagBinSql('@ms')} AS b`).pluck();
    const lags = [...LAG_UPPER.flatMap((e) => [Math.floor(e) - 1, Math.floor(e), e, Math.ceil(e), Math.ceil(e) + 1]).filter((x) => x >= 0), 2 ** 40, Number.MAX_SAFE_INTEGER];
    for (const ms of lags) expect([ms, bin.get({ ms })]).toEqual([ms, lagBin(ms)]);
    db.close();
  });
});
