// The dead-letter requests select by message id (every copy of it), by copy (one message), or
// both; a request that selects nothing is refused at the boundary, as an empty id list was.
import { describe, expect, it } from 'vitest';
import { parseApiRequest } from './api';

describe('deadLetters.dryRun / deadLetters.redrive selection', () => {
  it('takes ids as before, copies alone, or both; refuses neither', () => {
    for (const name of ['deadLetters.dryRun', 'deadLetters.redrive'] as const) {
      expect(parseApiRequest(name, { queue: 'q', ids: ['d1'] }).args).toMatchObject({ ids: ['d1'], copies: [] });
      expect(parseApiRequest(name, { queue: 'q', copies: ['copy:ab'] }).args).toMatchObject({ ids: [], copies: ['copy:ab'] });
      expect(parseApiRequest(name, { queue: 'q', ids: ['d1'], copies: ['copy:ab'] }).args).toMatchObject({ ids: ['d1'], copies: ['copy:ab'] });
      expect(() => parseApiRequest(name, { queue: 'q' })).toThrow(/ids or copies/);
      expect(() => parseApiRequest(name, { queue: 'q', ids: [], copies: [] })).toThrow(/ids or copies/);
    }
  });
});
