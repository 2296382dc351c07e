// Numeric flags take plain decimal numbers (README "Headless commands"): text that Number()
// would also read ('0x10' as 16, '1e3' as 1000, '' as 0) is a usage error naming the flag,
// not a different rate, duration or seed than the operator meant.
import { describe, expect, it } from 'vitest';
import { runPayops } from '../../test/support/cli';

// No broker is reached: argv is refused before anything connects.
const AMQP = 'amqp://guest:guest@127.0.0.1:1';

describe('decimal flags (built CLI)', () => {
  it.each([
    ['simulate', '--rate', '0x10'],
    ['simulate', '--rate', '1e2'],
    ['simulate', '--for', '0b1'],
    ['simulate', '--for', ' '],
    ['simulate', '--anomaly-after', '0x1'],
    ['collect', '--for', '0x10'],
    ['collect', '--max-db-mb', '1e3'],
    ['collect', '--queue-expires', '0x1'],
  ])('%s %s %j exits 1 naming the flag', async (command, flag, value) => {
    const r = await runPayops([command, '--amqp', AMQP, '--db', '/nonexistent/never.db', flag, value]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(flag);
  });

  it.each(['0x10', '', '1e3', '1.5', 'seven'])('simulate --seed %j exits 1 naming the flag', async (value) => {
    const r = await runPayops(['simulate', '--amqp', AMQP, '--seed', value]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('--seed');
  });
});
