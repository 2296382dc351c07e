// A log line showed the card numbers and IBANs that exports mask: `payops replay --rules` logs each
// alert notification ("notification: FIRING merchant-declines: ... for merchant 4111 1111 1111
// 1111"), and a merchant id is whatever the producer sent. The log redaction hid credentials only.
// Runs the built CLI (`npm run build:core` first) on real files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPayops } from '../../test/support/cli';
import { declineSpikeCapture } from '../../test/support/declineSpikeCapture';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-log-masking-');
const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);
const MERCHANTS = ['4111 1111 1111 1111', 'DE89 3704 0044 0532 0130 00', Buffer.from('5555555555554444').toString('hex')];
let replay: Awaited<ReturnType<typeof runPayops>>;

beforeAll(async () => {
  const capture = path.join(dir, 'cards.ndjson');
  const rules = path.join(dir, 'rules.yaml');
  declineSpikeCapture(capture, T0, (i) => ({ merchantId: MERCHANTS[i % MERCHANTS.length] }));
  fs.writeFileSync(
    rules,
    `rules:
  - { name: merchant-declines, description: A merchant declines., severity: critical, metric: decline_rate, condition: { above: 50% }, window: 10s, minVolume: 10, groupBy: merchant }
`,
  );
  replay = await runPayops(['replay', capture, '--db', path.join(dir, 'cards.db'), '--rules', rules]);
}, 120_000);

describe('log lines', () => {
  it('show no card number or IBAN that an alert notification quotes', () => {
    expect(replay.code, replay.stderr).toBe(0);
    // The notifications are logged, each merchant's with its id masked as an export masks it.
    expect(replay.stderr).toContain('notification: FIRING merchant-declines');
    expect(replay.stderr).toContain('for merchant 41**********1111');
    expect(replay.stderr).toContain('for merchant ******************3000');
    expect(replay.stderr).toContain(`for merchant ${Buffer.from('55**********4444').toString('hex')}`);
    for (const shown of MERCHANTS) expect(replay.stderr).not.toContain(shown);
    expect(replay.stderr).not.toMatch(/4111\D?1111\D?1111\D?1111|3704\D?0044\D?0532/);
  });
});
