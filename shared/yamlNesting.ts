// How deep a YAML text's flow collections ([ ] and { }) nest, read before the YAML parser: the
// parser recurses per level, and a text nested thousands of levels deep ran it out of stack
// only after seconds (11.5 s for 500 KB of brackets). Brackets in quoted scalars and comments
// do not count; a quote counts as one only where a scalar may start, so "don't" is a word.

/** The deepest nesting a rules file is allowed: real ones are a few levels deep. */
export const MAX_FLOW_NESTING = 64;

/** Why `text` nests too deep to read and the line it does so at, or null. */
export function yamlNestingProblem(text: string): { message: string; line: number } | null {
  let depth = 0;
  let line = 1;
  let quote: '"' | "'" | null = null;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === "'" && quote === "'" && text[i + 1] === "'") i++; // '' is a quote inside '...'
      else if (c === quote) quote = null;
      previous = c;
      continue;
    }
    const atScalarStart = /[\s[{,:-]/.test(previous);
    if ((c === '"' || c === "'") && atScalarStart) quote = c;
    else if (c === '#' && /\s/.test(previous)) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_NESTING) return { message: `nested more than ${MAX_FLOW_NESTING} levels deep at line ${line}: a rules file needs a few`, line };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    previous = c;
  }
  return null;
}
