// Label matchers (=, !=, =~, !~; regexes anchored and in RE2 syntax, as in Alertmanager) compiled
// once, for the router's policies and inhibition rules (shared/labelMatchers.ts reads them).
import type { SilenceMatcher } from '../../../shared/alerts';
import { labelRegex, silenceMatcherMatches } from '../../../shared/labelMatchers';

export type CompiledMatcher = (labels: Readonly<Record<string, string>>) => boolean;

export function compileMatcher(m: SilenceMatcher): CompiledMatcher {
  const get = (labels: Readonly<Record<string, string>>) => labels[m.label] ?? '';
  if (m.op === '=~' || m.op === '!~') {
    const re = labelRegex(m.value);
    return m.op === '=~' ? (l) => re.test(get(l)) : (l) => !re.test(get(l));
  }
  return (l) => silenceMatcherMatches(m, get(l));
}

/** All matchers must hold; an empty list matches everything. */
export function compileAll(matchers: readonly SilenceMatcher[]): CompiledMatcher {
  const compiled = matchers.map(compileMatcher);
  return (labels) => compiled.every((c) => c(labels));
}
