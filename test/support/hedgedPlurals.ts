// Test support: finds a count's noun hedged as "noun(s)" in the text a source writes (its string
// literals, template strings and JSX text), so the checks of the renderer, electron/ and shared/
// read their sources one way. Only text is read: code (`new Set(s);`, `expire(s))`) and comments
// are not what a user reads, and a line-wide pattern could not tell `message(s);` in a template
// from a call on a variable s.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The product sources under `dir`: .ts and .tsx files, not tests nor declarations. */
export function productSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : productSources(path);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

// A word followed by "(s)" or "(es)". "http(s)" names a URL scheme, not a count.
const HEDGE = /\b(?!https?\()[A-Za-z]+\(e?s\)/g;

/** The hedges in one piece of text: `['message(s)']` for 'Redriven 3 message(s)'. */
export function hedgesInText(text: string): string[] {
  return [...text.matchAll(HEDGE)].map((m) => m[0]);
}

const TEXT_KINDS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.JsxText,
]);

/** Each hedge in a source's text, with its line (from 1). */
export function hedgesInSource(code: string, fileName: string): { line: number; hedge: string }[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, kind);
  const found: { line: number; hedge: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (TEXT_KINDS.has(node.kind)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      for (const hedge of hedgesInText((node as ts.LiteralLikeNode).text)) found.push({ line, hedge });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** 'path:line: hedge' for each hedge in the product sources under `root`, the path from `root`. */
export function hedgesUnder(root: string): string[] {
  return productSources(root).flatMap((file) =>
    hedgesInSource(readFileSync(file, 'utf8'), file).map((h) => `${relative(root, file)}:${h.line}: ${h.hedge}`),
  );
}
