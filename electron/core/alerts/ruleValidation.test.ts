import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration, validateRules } from '../../../shared/alertRules';
import { DEFAULT_RULES, DEFAULT_RULES_YAML } from './defaultRules';
import { loadRulesFile, RulesFileError } from './loadRulesFile';

const base = { name: 'r1', description: 'd', severity: 'warning', metric: 'decline_rate', condition: { above: 0.1 }, window: '5m' };
const texts = (input: unknown) => {
  const r = validateRules(input);
  return r.ok ? [] : r.issues.map((i) => i.text);
};

describe('rule validation', () => {
  it('accepts a full rule and fills defaults; durations in ms, percentages as ratios', () => {
    const r = validateRules({ version: 1, rules: [{ ...base, condition: { above: '12.5%' }, for: '1m30s', keepFiringFor: 90, groupBy: 'merchant', minVolume: 20 }] });
    expect(r.ok && r.rules[0]).toMatchObject({
      name: 'r1',
      enabled: true,
      windowMs: 300_000,
      forMs: 90_000,
      keepFiringForMs: 90_000,
      groupBy: 'merchant',
      minVolume: 20,
      condition: { kind: 'above', threshold: 0.125 },
      noDataState: 'nodata',
      runbookUrl: null,
    });
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('')).toBe(null);
    expect(parseDuration('5 min')).toBe(null);
  });

  it('names the rule and the field in every error', () => {
    expect(texts([{ ...base, window: 'soon' }])).toEqual(['rule "r1" (rules[0]) field window: must be a duration like 30s, 5m, 1h30m (or a number of seconds)']);
    expect(texts([{ ...base, severity: 'panic' }])).toEqual(['rule "r1" (rules[0]) field severity: must be critical, warning or info']);
    expect(texts([{ ...base, metric: 'vibes' }])[0]).toMatch(/^rule "r1" \(rules\[0\]\) field metric: must be one of throughput, approval_rate/);
    expect(texts([{ ...base, description: undefined }])).toEqual(['rule "r1" (rules[0]) field description: is required']);
    expect(texts([{ ...base, name: undefined }])).toEqual(['rule (rules[0]) field name: is required']);
    expect(texts([{ ...base, colour: 'red' }])).toEqual(['rule "r1" (rules[0]) field colour: unknown field']);
    expect(texts([{ ...base, condition: { above: 1, over: 2 } }])).toEqual(['rule "r1" (rules[0]) field condition.over: unknown field']);
    expect(texts([{ ...base, condition: { baseline: { halfLife: 'forever' } } }])).toEqual([
      'rule "r1" (rules[0]) field condition.baseline.halfLife: must be a duration like 30s, 5m, 1h30m (or a number of seconds)',
    ]);
    expect(texts([base, { ...base }])).toEqual(['rule "r1" (rules[1]) field name: duplicates the name of rules[0]']);
    expect(texts([base, 'oops'])).toEqual(['rule (rules[1]): must be an object']);
  });

  it('checks fields against each other', () => {
    expect(texts([{ ...base, condition: {} }])).toEqual(['rule "r1" (rules[0]) field condition: must have exactly one of above, below or baseline (found none)']);
    expect(texts([{ ...base, condition: { above: 1, below: 0 } }])).toEqual([
      'rule "r1" (rules[0]) field condition: must have exactly one of above, below or baseline (found above, below)',
    ]);
    expect(texts([{ ...base, condition: undefined }])).toEqual(['rule "r1" (rules[0]) field condition: is required: one of above, below or baseline']);
    expect(texts([{ ...base, metric: 'no_data' }])).toEqual(['rule "r1" (rules[0]) field condition: no_data has no condition: it fires when the window holds no events']);
    expect(texts([{ ...base, metric: 'queue_depth', groupBy: 'merchant' }])).toEqual(['rule "r1" (rules[0]) field groupBy: queue_depth is measured per queue: use groupBy: queue']);
    expect(texts([{ ...base, groupBy: 'queue' }])).toEqual(['rule "r1" (rules[0]) field groupBy: decline_rate is an event metric: group by merchant, country or a segment dimension, not queue']);
    expect(texts([{ ...base, window: '2h' }])).toEqual(['rule "r1" (rules[0]) field window: must be at most 1h']);
    expect(texts([{ ...base, eventTypes: ['payment.declined'] }])).toEqual(['rule "r1" (rules[0]) field eventTypes: only throughput and no_data take eventTypes']);
    // Queue metrics default to per-queue grouping.
    const q = validateRules([{ ...base, metric: 'consumer_count', condition: { below: 1 } }]);
    expect(q.ok && q.rules[0].groupBy).toBe('queue');
  });

  it('checks a threshold against its metric: a rate lies in 0 .. 1, a percentage only fits a rate', () => {
    // "above: 10" on a rate (meaning 10 %) could never fire; "above: -1" always would.
    expect(texts([{ ...base, condition: { above: 10 } }])).toEqual([
      'rule "r1" (rules[0]) field condition.above: decline_rate is a fraction between 0 and 1: write 10% or 0.1 (got 10)',
    ]);
    expect(texts([{ ...base, condition: { above: -1 } }])).toEqual([
      'rule "r1" (rules[0]) field condition.above: decline_rate is a fraction between 0 and 1: write 10% or 0.1 (got -1)',
    ]);
    expect(texts([{ ...base, metric: 'approval_rate', condition: { below: '150%' } }])).toEqual([
      'rule "r1" (rules[0]) field condition.below: approval_rate is a fraction between 0 and 1: write 10% or 0.1 (got "150%")',
    ]);
    expect(texts([{ ...base, condition: { baseline: { prior: { mean: 8, deviation: '3%' } } } }])).toEqual([
      'rule "r1" (rules[0]) field condition.baseline.prior.mean: decline_rate is a fraction between 0 and 1: write 10% or 0.1 (got 8)',
    ]);
    // A percentage of events per second (or of messages) means nothing.
    expect(texts([{ ...base, metric: 'throughput', condition: { above: '50%' } }])).toEqual([
      'rule "r1" (rules[0]) field condition.above: a percentage only fits a rate metric; throughput is in events per second: write a number',
    ]);
    expect(texts([{ ...base, metric: 'queue_depth', condition: { above: 100 }, recoverBelow: '50%' }])).toEqual([
      'rule "r1" (rules[0]) field recoverBelow: a percentage only fits a rate metric; queue_depth is in messages: write a number',
    ]);
    // The edges stay valid: 0 and 100 %, and negative growth of a queue.
    expect(texts([{ ...base, condition: { above: 0 } }, { ...base, name: 'r2', metric: 'approval_rate', condition: { below: '100%' } }])).toEqual([]);
    expect(texts([{ ...base, metric: 'queue_depth_growth', condition: { below: -100 } }])).toEqual([]);
  });

  it('refuses labels that the alert sets itself: alertname, severity and the group dimensions', () => {
    expect(texts([{ ...base, labels: { team: 'payments', alertname: 'other', severity: 'info', merchant: 'm_9' } }])).toEqual([
      'rule "r1" (rules[0]) field labels.alertname: is set by payops (the rule name, severity, or the group the rule is grouped by): choose another label name',
      'rule "r1" (rules[0]) field labels.severity: is set by payops (the rule name, severity, or the group the rule is grouped by): choose another label name',
      'rule "r1" (rules[0]) field labels.merchant: is set by payops (the rule name, severity, or the group the rule is grouped by): choose another label name',
    ]);
  });

  it('rejects a file that is not a list of rules', () => {
    expect(texts(null)).toEqual(['rules file: must be a list of rules or an object with a "rules" list']);
    expect(texts({ rules: {} })).toEqual(['rules file field rules: must be a list']);
    expect(texts({ rules: [], extra: 1 })).toEqual(['rules file field extra: unknown top-level key (expected rules and optional version)']);
    expect(texts({ version: 2, rules: [] })).toEqual(['rules file field version: must be 1']);
  });
});

describe('rules files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payops-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads YAML and JSON by extension', () => {
    expect(loadRulesFile(write('a.yaml', DEFAULT_RULES_YAML))).toEqual(DEFAULT_RULES);
    expect(loadRulesFile(write('a.json', JSON.stringify({ rules: [base] })))[0].name).toBe('r1');
  });

  it('says which file, line, rule and field is wrong', () => {
    const yamlPath = write('bad.yml', 'rules:\n  - name: a\n    window: [1m\n');
    expect(() => loadRulesFile(yamlPath)).toThrow(RulesFileError);
    expect(() => loadRulesFile(yamlPath)).toThrow(/bad\.yml: 1 problem\n {2}- rules file: not valid YAML at line \d+, column \d+/);
    expect(() => loadRulesFile(write('bad.json', '{"rules": ['))).toThrow(/bad\.json: 1 problem\n {2}- rules file: not valid JSON/);
    expect(() => loadRulesFile(write('rules.txt', ''))).toThrow(/unsupported extension "\.txt"/);
    expect(() => loadRulesFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: 1 problem\n {2}- rules file: cannot read/);
    const twoBad = write('two.yaml', 'rules:\n  - name: a\n    description: x\n    severity: high\n    metric: decline_rate\n    condition: { above: 0.1 }\n    window: 5m\n  - name: b\n');
    try {
      loadRulesFile(twoBad);
      expect.unreachable();
    } catch (err) {
      const e = err as RulesFileError;
      expect(e.issues.map((i) => [i.rule, i.field])).toEqual([
        ['a', 'severity'],
        ['b', 'description'],
        ['b', 'severity'],
        ['b', 'metric'],
        ['b', 'window'],
      ]);
      expect(e.message).toContain('rule "a" (rules[0]) field severity: must be critical, warning or info');
    }
  });

  it('refuses a YAML alias bomb or an alias before its anchor as a bad rules file naming it', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = write('bomb.yaml', `${levels.join('\n')}\nrules: *a11\n`);
    expect(() => loadRulesFile(bomb)).toThrow(RulesFileError);
    expect(() => loadRulesFile(bomb)).toThrow(/bomb\.yaml: 1 problem\n {2}- rules file: not valid YAML: Excessive alias count/);
    const early = write('early.yaml', 'rules:\n  - *base\n');
    expect(() => loadRulesFile(early)).toThrow(RulesFileError);
    expect(() => loadRulesFile(early)).toThrow(/early\.yaml: 1 problem\n {2}- rules file: not valid YAML: Unresolved alias/);
  });

  it('ships defaultRules.yaml exactly as the built-in DEFAULT_RULES', () => {
    expect(readFileSync(join(__dirname, 'defaultRules.yaml'), 'utf8')).toBe(DEFAULT_RULES_YAML);
    expect(DEFAULT_RULES.map((r) => r.name)).toEqual([
      'decline-rate-spike',
      'authorization-failure-rate',
      'traffic-stopped',
      'queue-depth-growing',
      'no-consumers',
      'queue-consumer-stuck',
      'fraud-burst-per-merchant',
      'fraud-share-high',
      'high-risk-score-p95',
      'issuer-down',
      'acquirer-down',
    ]);
    expect(DEFAULT_RULES.every((r) => r.enabled && r.runbookUrl && r.description)).toBe(true);
  });

  it('documents every default rule in RULES.md', () => {
    const doc = readFileSync(join(__dirname, 'RULES.md'), 'utf8');
    for (const r of DEFAULT_RULES) expect(doc).toContain(`### ${r.name}`);
  });
});
