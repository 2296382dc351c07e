import { describe, expect, it } from 'vitest';
import { apiRequestSchemas } from './api';

describe('the explorer query contract', () => {
  it('refuses a reversed window, naming it, instead of answering an empty page', () => {
    const reversed = apiRequestSchemas['events.query'].safeParse({ filter: { from: 2_000, to: 1_000 } });
    expect(reversed.success).toBe(false);
    expect(reversed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['filter.to', 'to is before from']]);
    expect(apiRequestSchemas['events.query'].safeParse({ filter: { from: 1_000, to: 1_000 } }).success).toBe(true);
    expect(apiRequestSchemas['events.query'].safeParse({ filter: { from: 1_000 } }).success).toBe(true);
  });
});
