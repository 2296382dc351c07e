// The event detail's Pretty JSON. It was JSON.parse then JSON.stringify: a number in a field
// payops does not read (a producer's order reference, a 19-digit id) past 2^53 came back as a
// double's nearest value, another number than the one sent ("orderRef": 12345678901234567890
// showed 12345678901234567000), and 1.10 showed 1.1; a right-to-left override inside a string
// value was drawn, reversing the rest of its line.
import { describe, expect, it } from 'vitest';
import { prettyJson } from './explorerModel';

describe('pretty JSON', () => {
  it('keeps every number as it was written', () => {
    expect(prettyJson('{"orderRef":12345678901234567890,"rate":1.10,"tiny":1e-7}')).toBe('{\n  "orderRef": 12345678901234567890,\n  "rate": 1.10,\n  "tiny": 1e-7\n}');
  });

  it('indents nested objects and arrays, empty ones kept short, strings untouched', () => {
    expect(prettyJson('{"a":[1,{"b":"x, y: {z}"}],"e":{},"f":[],"q":"say \\"hi\\" [1]"}')).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": "x, y: {z}"\n    }\n  ],\n  "e": {},\n  "f": [],\n  "q": "say \\"hi\\" [1]"\n}',
    );
    expect(prettyJson(' [ 1 , 2 ] ')).toBe('[\n  1,\n  2\n]');
  });

  it('writes undrawn characters inside strings as JSON escapes: the same JSON, nothing drawn', () => {
    const shown = prettyJson('{"merchantId":"m_\u202e1042"}');
    expect(shown).toBe('{\n  "merchantId": "m_\\u202e1042"\n}');
    expect(JSON.parse(shown)).toEqual({ merchantId: 'm_\u202e1042' });
  });

  it('gives text that is not JSON back as it is', () => {
    expect(prettyJson('not json')).toBe('not json');
    expect(prettyJson('{"half":')).toBe('{"half":');
  });
});
