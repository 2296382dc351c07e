// Reads a rules file (YAML or JSON, chosen by extension) and validates it, with errors that
// say which file, which rule and which field.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { RuleValidationError, parseRules, type AlertRule, type RuleIssue } from '../../../shared/alertRules';
import { validateRouting, type RoutingConfig } from '../../../shared/notificationConfig';
import { RULES_YAML_OPTIONS, parseRulesJson, yamlBooleanWords } from '../../../shared/rulesText';
import { yamlNestingProblem } from '../../../shared/yamlNesting';

export type RulesFormat = 'yaml' | 'json';

/** Also thrown for syntax errors, with one issue naming the line. */
export class RulesFileError extends RuleValidationError {}

export function rulesFormatOf(path: string): RulesFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  throw new RulesFileError([fileIssue(`unsupported extension "${ext || '(none)'}": use .yaml, .yml or .json`)], path);
}

/** The text of a rules file and its format; an unreadable file is a RulesFileError naming it. */
function readRulesText(path: string): { text: string; format: RulesFormat } {
  const format = rulesFormatOf(path);
  try {
    return { text: readFileSync(path, 'utf8'), format };
  } catch (err) {
    throw new RulesFileError([fileIssue(`cannot read: ${(err as Error).message}`)], path);
  }
}

export function loadRulesFile(path: string): AlertRule[] {
  const { text, format } = readRulesText(path);
  return parseRulesText(text, format, path);
}

export function parseRulesText(text: string, format: RulesFormat, source = 'alert rules'): AlertRule[] {
  const data = parseData(text, format, source);
  try {
    return parseRules(data, source);
  } catch (err) {
    if (err instanceof RuleValidationError) throw new RulesFileError(err.issues, source);
    throw err;
  }
}

/** The routing sections of a rules file (contact points, policies, ...); the defaults when it has none. */
export function loadRoutingFile(path: string): RoutingConfig {
  const { text, format } = readRulesText(path);
  return parseRoutingText(text, format, path);
}

export function parseRoutingText(text: string, format: RulesFormat, source = 'alert rules'): RoutingConfig {
  const result = validateRouting(parseData(text, format, source));
  if (result.ok) return result.config;
  throw new RulesFileError(result.issues.map((i) => ({ index: null, rule: null, field: i.field, message: i.message, text: i.text })), source);
}

function parseData(text: string, format: RulesFormat, source: string): unknown {
  let data: unknown;
  if (format === 'json') {
    const json = parseRulesJson(text);
    if (!json.ok) throw new RulesFileError([fileIssue(json.message)], source);
    data = json.data;
  } else {
    const nesting = yamlNestingProblem(text);
    if (nesting) throw new RulesFileError([fileIssue(nesting.message)], source);
    const doc = parseDocument(text, RULES_YAML_OPTIONS);
    if (doc.errors.length) {
      const e = doc.errors[0];
      const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
      throw new RulesFileError([fileIssue(`not valid YAML${where}: ${e.message.split('\n')[0]}`)], source);
    }
    try {
      // Throws on an alias before its anchor or too many aliases (a "billion laughs" document):
      // a bad rules file like any other, not an unexplained crash of the command.
      yamlBooleanWords(doc);
      data = doc.toJS();
    } catch (err) {
      throw new RulesFileError([fileIssue(`not valid YAML: ${(err as Error).message.split('\n')[0]}`)], source);
    }
  }
  return data;
}

function fileIssue(message: string): RuleIssue {
  return { index: null, rule: null, field: '', message, text: `rules file: ${message}` };
}
