import { describe, expect, it } from 'vitest';
import { eventIdentity } from './eventIdentity';

describe('eventIdentity', () => {
  // Databases hold these hashes (event_log.ident and the identity index): a change to how they
  // are computed would let a stored event in again as new. The values are those the function
  // gave when the first databases were written.
  it('gives the hashes stored databases hold', () => {
    expect(eventIdentity('psp/gateway', 'cb0a03af-9c45-48d9-b387-16b4ed4f1dca.r0')).toBe(6284535352884124);
    expect(eventIdentity('', '')).toBe(4446763975410778);
    expect(eventIdentity('risk/engine', 'é\u{1F600}')).toBe(3164903091787486);
    expect(eventIdentity('s'.repeat(300), 'i')).toBe(877675199855223);
  });

  it('keeps the source and the id apart', () => {
    expect(eventIdentity('ab', 'c')).toBe(6148766394332122);
    expect(eventIdentity('a', 'bc')).toBe(6864912440237066);
  });
});
