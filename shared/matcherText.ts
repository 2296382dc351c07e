// Matcher text as Alertmanager reads it in a config's `matchers:` list (its classic parser,
// labels.ParseMatchers): one entry holds one matcher or several separated by commas, in braces
// or not (`{severity="critical", team=~"pay.*"}`), a trailing comma allowed; a value is quoted
// or not. Quoted values unescape \\ \" and \n, any other backslash stays (`"m_\d+"`). Anything
// else is refused with what is wrong, never read as another matcher.
import type { SilenceMatcher } from './alerts';

export type MatcherTextResult = { ok: true; matchers: SilenceMatcher[] } | { ok: false; problem: string };

const MATCHER = /^\s*("?)([^\s"=!~]*)\1\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` is not a label name, or null when it is. */
export function labelNameProblem(name: string): string | null {
  return LABEL_NAME.test(name) ? null : `${JSON.stringify(name)} is not a label name (letters, digits and _, not starting with a digit)`;
}

/** The matchers one entry of a `matchers:` list holds, or why it holds none. */
export function parseMatcherText(text: string): MatcherTextResult {
  let s = text.trim();
  if (s === '') return { ok: false, problem: 'empty: write a matcher such as severity=critical' };
  const open = s.startsWith('{');
  const close = s.endsWith('}') && !endsInsideQuotes(s.slice(0, -1));
  if (open && !close) return { ok: false, problem: 'opens { without a closing }' };
  if (close && !open) return { ok: false, problem: 'closes } without an opening {' };
  if (open) s = s.slice(1, -1);
  const { parts, unclosed } = splitOutsideQuotes(s);
  if (unclosed) {
    const m = parseOne(parts[parts.length - 1]);
    return { ok: false, problem: typeof m === 'string' ? m : 'a double quote is not closed' };
  }
  if (parts.length > 0 && parts[parts.length - 1].trim() === '') parts.pop(); // a trailing comma, or `{}`
  const matchers: SilenceMatcher[] = [];
  for (const part of parts) {
    if (part.trim() === '') return { ok: false, problem: 'an empty matcher between two commas' };
    const m = parseOne(part);
    if (typeof m === 'string') return { ok: false, problem: m };
    matchers.push(m);
  }
  return { ok: true, matchers };
}

/** One `label op value`, or what is wrong with it. */
function parseOne(text: string): SilenceMatcher | string {
  const m = MATCHER.exec(text);
  if (!m) return 'not a matcher: no operator (write label=value, label!=value, label=~regex or label!~regex)';
  const [, , label, op, raw] = m;
  const badName = labelNameProblem(label);
  if (badName) return badName;
  if (raw.startsWith('"') && (raw.length < 2 || !raw.endsWith('"'))) return `the quoted value of ${label} is not closed`;
  const value = valueOf(raw);
  if (value === null) return `unescaped double quote in the value of ${label}: write \\" for a quote inside a quoted value`;
  if (!raw.startsWith('"') && /^[=~]/.test(raw)) return `the value of ${label} starts with "${raw[0]}": one operator too many? quote the value if it starts with ${raw[0]}`;
  return { label, op: op as SilenceMatcher['op'], value };
}

/** A value as written: quoted (unescaped as Alertmanager does) or bare; null when a quote is left unescaped. */
function valueOf(raw: string): string | null {
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const inner = quoted ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"') return null;
    if (c === '\\' && i + 1 < inner.length) {
      const next = inner[++i];
      out += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else out += c;
  }
  return out;
}

/** `s` split at the commas outside double quotes (\" does not end a quote); `unclosed` when a quote stays open. */
function splitOutsideQuotes(s: string): { parts: string[]; unclosed: boolean } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted && i + 1 < s.length) {
      current += c + s[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return { parts, unclosed: quoted };
}

/** Whether `s` ends inside an open double quote (so a } after it is part of a value). */
function endsInsideQuotes(s: string): boolean {
  return splitOutsideQuotes(s).unclosed;
}
