// Prometheus and Grafana rule files share fields through YAML merge keys (<<: *anchor).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';
import { loadRulesFile } from './loadRulesFile';

const dir = mkdtempSync(join(tmpdir(), 'payops-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = `version: 1
rules:
  - &declines
    name: declines-warning
    description: declines rising
    severity: warning
    metric: decline_rate
    window: 5m
    for: 2m
    labels: { team: payments }
    condition: { above: 10% }
  - <<: *declines
    name: declines-critical
    description: declines high
    severity: critical
    for: 1m
    condition: { above: 25% }
`;

describe('YAML merge keys in rules files', () => {
  it('merges an anchored mapping into each rule, the rule own fields winning', () => {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, TEXT);
    const rules = loadRulesFile(file);
    expect(rules.map((r) => [r.name, r.metric, r.windowMs, r.forMs, r.labels.team])).toEqual([
      ['declines-warning', 'decline_rate', 300_000, 120_000, 'payments'],
      ['declines-critical', 'decline_rate', 300_000, 60_000, 'payments'],
    ]);
    expect(validateRulesText(TEXT, 'yaml')).toMatchObject({ ok: true });
  });
});
