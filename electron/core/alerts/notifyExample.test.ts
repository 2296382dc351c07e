import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoutingFile, loadRulesFile } from './loadRulesFile';

const example = path.join(__dirname, 'notifyExample.yaml');

describe('the complete example rules file in RULES.md', () => {
  it('loads: rules, burn rates, contact points, policies, mute timings and inhibition', () => {
    expect(loadRulesFile(example).map((r) => r.name)).toEqual(['decline-rate-spike', 'traffic-stopped', 'queue-depth-growing']);
    expect(loadRulesFile(example)[0].recover).toEqual({ below: 0.08 });
    const routing = loadRoutingFile(example);
    expect(routing.contactPoints.map((c) => c.name)).toEqual(['oncall-hook', 'team-chat', 'desk', 'desktop']);
    expect(routing.policies).toHaveLength(2);
    expect(routing.burnRates[0]).toMatchObject({ objective: 0.97, groupBy: 'country', minVolume: 200 });
  });

  it('is quoted in RULES.md word for word', () => {
    const doc = fs.readFileSync(path.join(__dirname, 'RULES.md'), 'utf8');
    expect(doc).toContain(fs.readFileSync(example, 'utf8').split('\n').slice(1).join('\n').trim());
  });
});
