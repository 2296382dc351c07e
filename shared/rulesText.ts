// Rules files as text (YAML or JSON): parse and validate without throwing, so the rule
// editor can show every problem as the operator types and the engine can refuse a bad save
// with the same words. Issues name the rule and the field, and for YAML also the line.
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import { validateRules, type AlertRule, type RuleIssue } from './alertRules';
import { validateRouting, YAML_BOOLEAN_FIELDS, YAML_FALSE, YAML_TRUE, type RoutingConfig } from './notificationConfig';
import { yamlNestingProblem } from './yamlNesting';

export type RulesFormat = 'yaml' | 'json';

/** A RuleIssue with the 1-based line it points at, when the text says. */
export interface RulesTextIssue extends RuleIssue {
  line: number | null;
}

/** On success, the rules and the routing the same text holds (contact points, policies, burn-rate rules). */
export type RulesTextValidation = { ok: true; rules: AlertRule[]; routing: RoutingConfig; issues: [] } | { ok: false; rules: null; issues: RulesTextIssue[] };

/**
 * How a rules file's YAML is read, by the editor's validation and the file loader alike. merge:
 * Prometheus and Grafana rule files share fields with merge keys (<<: *anchor).
 */
export const RULES_YAML_OPTIONS = { prettyErrors: true, uniqueKeys: true, merge: true } as const;

/**
 * Reads the routing's boolean fields (YAML_BOOLEAN_FIELDS) as Alertmanager's go-yaml does: an
 * unquoted yes/no, on/off, y/n is a boolean. A quoted one stays a string (the schema refuses
 * it), as does the same word anywhere else (a label value `NO`). Call before doc.toJS().
 */
export function yamlBooleanWords(doc: Document): void {
  const read = (map: unknown, field: string) => {
    if (!isMap(map)) return;
    const node = map.get(field, true);
    if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.value !== 'string') return;
    if (YAML_TRUE.includes(node.value)) node.value = true;
    else if (YAML_FALSE.includes(node.value)) node.value = false;
  };
  for (const [list, field] of Object.entries(YAML_BOOLEAN_FIELDS)) {
    const node = doc.get(list, true);
    if (isSeq(node)) for (const item of node.items) read(item, field);
    else read(node, field);
  }
}

/** Longest rules text accepted (the editor, rules.validate, rules.save). */
export const MAX_RULES_TEXT = 512 * 1024;

function fileIssue(message: string, line: number | null = null): RulesTextIssue {
  return { index: null, rule: null, field: '', message, text: `rules file: ${message}`, line };
}

/** The format a rules file's name implies (.yaml, .yml or .json); null for anything else. */
export function rulesFormatOfName(name: string): RulesFormat | null {
  const m = /\.(ya?ml|json)$/i.exec(name);
  if (!m) return null;
  return m[1].toLowerCase() === 'json' ? 'json' : 'yaml';
}

export function validateRulesText(text: string, format: RulesFormat): RulesTextValidation {
  if (text.length > MAX_RULES_TEXT) return { ok: false, rules: null, issues: [fileIssue(`longer than ${MAX_RULES_TEXT / 1024} KiB`)] };
  let data: unknown;
  let doc: Document | null = null;
  const lines = new LineCounter();
  if (format === 'json') {
    const json = parseRulesJson(text);
    if (!json.ok) return { ok: false, rules: null, issues: [fileIssue(json.message)] };
    data = json.data;
  } else {
    const nesting = yamlNestingProblem(text);
    if (nesting) return { ok: false, rules: null, issues: [fileIssue(nesting.message, nesting.line)] };
    doc = parseDocument(text, { ...RULES_YAML_OPTIONS, lineCounter: lines });
    if (doc.errors.length) {
      const e = doc.errors[0];
      const line = e.linePos ? e.linePos[0].line : null;
      const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
      return { ok: false, rules: null, issues: [fileIssue(`not valid YAML${where}: ${e.message.split('\n')[0]}`, line)] };
    }
    try {
      // Throws on an alias before its anchor or too many aliases (a "billion laughs" document).
      yamlBooleanWords(doc);
      data = doc.toJS();
    } catch (err) {
      return { ok: false, rules: null, issues: [fileIssue(`not valid YAML: ${(err as Error).message.split('\n')[0]}`)] };
    }
  }
  const result = validateRules(data);
  const routing = validateRouting(data);
  const routingIssues: RuleIssue[] = routing.ok ? [] : routing.issues.map((i) => ({ index: null, rule: null, field: i.field, message: i.message, text: i.text }));
  if (result.ok && routing.ok) return { ok: true, rules: result.rules, routing: routing.config, issues: [] };
  const issues = [...(result.ok ? [] : result.issues), ...routingIssues];
  return { ok: false, rules: null, issues: issues.map((i) => ({ ...i, line: doc ? lineOf(doc, lines, data, i) : null })) };
}

/**
 * A rules file's JSON, read as its YAML is: a leading byte order mark (Windows editors write one;
 * RFC 8259 lets a parser ignore it) is skipped, and a name given twice in one object is refused
 * naming it, as YAML's unique keys are (JSON.parse would keep the last and drop the rest unsaid).
 */
export function parseRulesJson(text: string): { ok: true; data: unknown } | { ok: false; message: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    return { ok: false, message: `not valid JSON: ${(err as Error).message}` };
  }
  const repeated = repeatedJsonName(body);
  if (repeated) return { ok: false, message: `not valid JSON: ${JSON.stringify(repeated.name)} is given twice in the same object (${repeated.at ? `at ${repeated.at}` : 'at the top level'}); only one may be` };
  return { ok: true, data };
}

type JsonFrame = { kind: 'object'; names: Set<string>; name: string | null } | { kind: 'array'; index: number };

/** The first name given twice in one object of `text` (JSON that parses) and the path of that object, or null. */
function repeatedJsonName(text: string): { name: string; at: string } | null {
  const stack: JsonFrame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      let next = end + 1;
      while (next < text.length && ' \t\r\n'.includes(text[next])) next++;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && text[next] === ':') {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names.has(name)) return { name, at: jsonPath(stack.slice(0, -1)) };
        top.names.add(name);
        top.name = name;
      }
      i = end;
    } else if (c === 0x7b /* { */) stack.push({ kind: 'object', names: new Set(), name: null });
    else if (c === 0x5b /* [ */) stack.push({ kind: 'array', index: 0 });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
    }
  }
  return null;
}

/** "rules[0].condition": the path to the object a name is repeated in, through the containers around it. */
function jsonPath(parents: readonly JsonFrame[]): string {
  let out = '';
  for (const f of parents) out += f.kind === 'array' ? `[${f.index}]` : `${out ? '.' : ''}${f.name}`;
  return out;
}

/** Where in the YAML an issue points: the field's node, else the rule's, else the list's. */
function lineOf(doc: Document, lines: LineCounter, data: unknown, issue: RuleIssue): number | null {
  const base: (string | number)[] = Array.isArray(data) ? [] : ['rules'];
  const candidates: (string | number)[][] = [];
  if (issue.index !== null) {
    const field = issue.field ? issue.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
    for (let n = field.length; n >= 0; n--) candidates.push([...base, issue.index, ...field.slice(0, n)]);
  } else if (issue.field) {
    candidates.push([issue.field]);
  }
  for (const path of candidates) {
    try {
      // An unknown field names a key: point at the key's pair (the value node of the map).
      const node = doc.getIn(path, true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    } catch {
      // a path through a scalar: try the shorter one
    }
    if (path.length > 1) {
      // The node itself may be a null value (a key with nothing after it): use the key.
      const parent = doc.getIn(path.slice(0, -1), true);
      const key = path[path.length - 1];
      if (isNode(parent) && 'items' in parent && Array.isArray((parent as { items: unknown[] }).items)) {
        for (const item of (parent as { items: { key?: unknown }[] }).items) {
          const k = item.key;
          if (isNode(k) && (k as { value?: unknown }).value === key && k.range) return lines.linePos(k.range[0]).line;
        }
      }
    }
  }
  return null;
}

/** One line for a list of problems: "line 12: rule \"x\" (rules[2]) field window: ...". */
export function issueText(issue: RulesTextIssue): string {
  return issue.line !== null ? `line ${issue.line}: ${issue.text}` : issue.text;
}
