// Label matchers (=, !=, =~, !~; regexes anchored and in RE2 syntax, as in Alertmanager) for the
// router's policies and inhibition rules; each regex is compiled once (shared/labelMatchers.ts).
import type { SilenceMatcher } from '../../../shared/alerts';
import { silenceMatcherMatches } from '../../../shared/labelMatchers';

export type CompiledMatcher = (labels: Readonly<Record<string, string>>) => boolean;

export function compileMatcher(m: SilenceMatcher): CompiledMatcher {
  return (labels) => silenceMatcherMatches(m, labels[m.label] ?? '');
}

/** All matchers must hold; an empty list matches everything. */
export function compileAll(matchers: readonly SilenceMatcher[]): CompiledMatcher {
  const compiled = matchers.map(compileMatcher);
  return (labels) => compiled.every((c) => c(labels));
}
