// Lint: the recommended TypeScript rules, plus the layer rule of ../shared/DESIGN.md —
// shared imports nothing of ours; electron/core, electron/web and the CLI never import
// `electron`; only electron/main.ts and electron/preload.ts do (electron/desktop may use
// its types); the renderer reaches the engine only through the shared API contract.
import tseslint from 'typescript-eslint';

const electronModule = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts import electron (DESIGN.md layers).' };
const rendererCode = { group: ['**/renderer/**'], message: 'The renderer is reached through the API contract in shared/, never imported.' };
const nodeSide = { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'The renderer talks to the engine only through shared/api.ts.' };
const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'better-sqlite3', 'amqplib', 'ws'], message: 'Node-only modules do not belong here.' };

// The host side (Electron main, desktop, the web host, the engine's host-side handles) reaches
// the database only through the engine's services: never SQLite, never the store (not even its types).
const sqlite = { name: 'better-sqlite3', message: 'The host side reaches the database through the engine services, never SQLite itself (ARCHITECTURE.md).', allowTypeImports: false };
const storeLayer = { group: ['**/core/store/**', '../store/*', '../../core/store/*'], message: 'The host side reaches the database through the engine services, never the store (ARCHITECTURE.md).', allowTypeImports: false };

// The data layer (issue 10): SQL and better-sqlite3 live in electron/core/store only; the rest
// of the product reaches SQLite through the store's repositories (openStore). Tests, test kits
// and benchmarks may still open a connection and check results with plain SQL. A separate
// rule (no-restricted-syntax), so it adds to the layer rule above instead of replacing it.
// A statement's first keyword (upper case, as SQL is written here), followed by more SQL; the
// ones that stand alone (BEGIN, COMMIT...) also alone. 'DELETE' alone is an HTTP method.
const SQL_START =
  '^\\s*((SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|WITH|SAVEPOINT|RELEASE|ATTACH|DETACH|EXPLAIN)\\s|(BEGIN|COMMIT|ROLLBACK|VACUUM|ANALYZE|REINDEX)\\b)';
const SQLITE = "'better-sqlite3'";
const noSqlite = 'better-sqlite3 is the store\'s own: use openStore and its repositories (electron/core/store).';
const noSql = 'SQL belongs in electron/core/store: add a repository method there and call it.';
const dataLayer = [
  ...['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map((node) => ({ selector: `${node}[source.value=${SQLITE}]`, message: noSqlite })),
  { selector: `TSImportType[source.value=${SQLITE}]`, message: noSqlite },
  { selector: `TSExternalModuleReference[expression.value=${SQLITE}]`, message: noSqlite },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${SQLITE}]`, message: noSqlite },
  // The connection itself (a raw Database) and the schema are the store's too.
  { selector: 'ImportDeclaration[source.value=/store.(database|migrate|migrations.)/]', message: 'Open the database with openStore (electron/core/store/store.ts).' },
  { selector: `Literal[value=/${SQL_START}/]`, message: noSql },
  { selector: `TemplateLiteral > TemplateElement:first-child[value.raw=/${SQL_START}/]`, message: noSql },
];

const restrict = (paths, patterns, allowTypeImports = false) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: paths.map((p) => ({ allowTypeImports, ...p })),
      patterns: patterns.map((p) => ({ allowTypeImports, ...p })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-renderer/**', 'release/**', 'node_modules/**', 'tools/electronegativity/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([electronModule], [
      { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'shared/ imports nothing of ours.' },
      rendererCode,
      nodeBuiltins,
    ]),
  },
  {
    files: ['shared/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['electron/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/desktop/**', 'electron/*.test.ts'],
    rules: restrict([electronModule], [rendererCode]),
  },
  {
    files: ['electron/desktop/**/*.ts'],
    ignores: ['electron/desktop/**/*.test.ts'],
    rules: restrict([electronModule, sqlite], [rendererCode, storeLayer], true),
  },
  {
    files: ['electron/main.ts'],
    rules: restrict([sqlite], [rendererCode, storeLayer]),
  },
  {
    files: ['electron/web/**/*.ts'],
    ignores: ['electron/web/**/*.test.ts'],
    rules: restrict([electronModule, sqlite], [rendererCode, storeLayer]),
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/**/*.test.ts'],
    rules: restrict([electronModule], [
      rendererCode,
      { group: ['**/web/**', '../../web/*', '**/cli/**', '../../cli/*', '**/desktop/**', '**/main', '**/preload'], message: 'electron/core is the engine: hosts import it, not the other way.' },
    ]),
  },
  {
    files: ['electron/core/host/**/*.ts'],
    ignores: ['electron/core/host/**/*.test.ts'],
    rules: restrict([electronModule, sqlite], [
      rendererCode,
      storeLayer,
      { group: ['**/web/**', '../../web/*', '**/cli/**', '../../cli/*', '**/desktop/**', '**/main', '**/preload'], message: 'electron/core is the engine: hosts import it, not the other way.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: restrict([electronModule, { name: 'ipcRenderer', message: 'The renderer uses window.payops from the preload.' }], [nodeSide, nodeBuiltins]),
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/core/store/**', '**/*.test.ts', '**/*.test.tsx', '**/*TestKit.ts', 'electron/testSupport/**', 'electron/faults/**', 'shared/testing/**'],
    rules: { 'no-restricted-syntax': ['error', ...dataLayer] },
  },
  {
    files: ['tools/**/*.js', 'bin/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
