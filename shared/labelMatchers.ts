// The regular expressions of label matchers (=~ and !~ in silences, notification policies and
// inhibition rules): anchored, in RE2 syntax, as Alertmanager and Prometheus read them. RE2
// matches in time linear in the label value; JavaScript's backtracking RegExp took 6.8 s for
// `(a+)+` against 27 characters, and label values come from event data: one such matcher and a
// merchant id could stall alert evaluation and routing.
import { RE2JS } from 're2js';
import type { SilenceMatcher } from './alerts';

export interface LabelRegex {
  test(value: string): boolean;
}

/** Compiled patterns, so a silence checked against every alert compiles once. */
const compiled = new Map<string, LabelRegex>();
const MAX_COMPILED = 512;

/** The anchored matcher for `pattern`; throws an Error naming the problem when it is not RE2 syntax. */
export function labelRegex(pattern: string): LabelRegex {
  const known = compiled.get(pattern);
  if (known) return known;
  const re = RE2JS.compile(`^(?:${pattern})$`);
  const regex: LabelRegex = { test: (value) => re.matches(value) };
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(pattern, regex);
  return regex;
}

/** Why `pattern` is not a matcher's regular expression, or null when it is. */
export function labelRegexProblem(pattern: string): string | null {
  try {
    labelRegex(pattern);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Checks a silence's matchers (the renderer's silence dialog runs the same check); null when fine. */
export function silenceMatchersProblem(matchers: readonly SilenceMatcher[]): string | null {
  if (!Array.isArray(matchers) || matchers.length === 0) return 'a silence needs at least one matcher';
  for (const m of matchers) {
    if (!m || typeof m.label !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.label)) return `matcher label "${String(m?.label)}" is not a label name`;
    if (!['=', '!=', '=~', '!~'].includes(m.op)) return `matcher op "${String(m.op)}" must be =, !=, =~ or !~`;
    if (typeof m.value !== 'string') return `matcher ${m.label}: value must be a string`;
    if (m.op === '=~' || m.op === '!~') {
      const problem = labelRegexProblem(m.value);
      if (problem) return `matcher ${m.label}${m.op}"${m.value}": not a valid regular expression (RE2 syntax, as in Alertmanager): ${problem}`;
    }
  }
  // Like Alertmanager: a silence whose every matcher also matches an empty label set would mute everything.
  if (matchers.every((m) => silenceMatcherMatches(m, ''))) return 'at least one matcher must require a non-empty label value (this silence would mute every alert)';
  return null;
}

/** Whether one matcher holds for a label's value (a missing label is the empty value). */
export function silenceMatcherMatches(m: SilenceMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return labelRegex(m.value).test(value);
    case '!~':
      return !labelRegex(m.value).test(value);
  }
}
