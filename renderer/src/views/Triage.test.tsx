// The triage view's explanation and health board as the renderer draws them (react-dom/server,
// no DOM needed): figures an operator reads aloud, on boards of the size PaySim gives.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeclineCodeGrowth } from '../../../shared/triage';
import { CodesGrown } from './Triage';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('decline codes that grew', () => {
  // A 15-minute window against its hour of baseline: 1,250 of 20,000 attempts vs 1,600 of 80,000.
  const code: DeclineCodeGrowth = {
    code: '91',
    meaning: 'issuer unavailable',
    kind: 'soft',
    window: { count: 1250, perAttempt: 1250 / 20_000 },
    baseline: { count: 1600, perAttempt: 1600 / 80_000 },
    significant: true,
  };

  it('compares the share of attempts (the baseline is longer than the window), counts grouped', () => {
    const shown = text(renderToStaticMarkup(<CodesGrown codes={[code]} />));
    // Raw counts alone read as a fall (1250 vs 1600) for a code that tripled.
    expect(shown).toContain('6.3 % of attempts (1,250) vs 2.0 % (1,600) in the baseline');
    expect(shown).not.toContain('1250');
  });
});
