// Label matchers (=, !=, =~, !~; regexes anchored, as in Alertmanager) compiled once, for the
// router's policies and inhibition rules.
import type { SilenceMatcher } from '../../../shared/alerts';

export type CompiledMatcher = (labels: Readonly<Record<string, string>>) => boolean;

export function compileMatcher(m: SilenceMatcher): CompiledMatcher {
  const get = (labels: Readonly<Record<string, string>>) => labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return (l) => get(l) === m.value;
    case '!=':
      return (l) => get(l) !== m.value;
    case '=~': {
      const re = new RegExp(`^(?:${m.value})$`);
      return (l) => re.test(get(l));
    }
    case '!~': {
      const re = new RegExp(`^(?:${m.value})$`);
      return (l) => !re.test(get(l));
    }
  }
}

/** All matchers must hold; an empty list matches everything. */
export function compileAll(matchers: readonly SilenceMatcher[]): CompiledMatcher {
  const compiled = matchers.map(compileMatcher);
  return (labels) => compiled.every((c) => c(labels));
}
