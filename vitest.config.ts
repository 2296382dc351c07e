import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they test (*.test.ts); tests that talk to the real
// RabbitMQ broker and real SQLite files are *.int.test.ts. Long variants run only
// under `npm run test:long` (PAYOPS_LONG=1).
const INCLUDE = ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'test/**/*.test.ts'];
const EXCLUDE = ['**/node_modules/**', 'dist/**', '**/*.fault.test.ts'];
const TEST_ROOTS = ['electron', 'shared', 'renderer', 'bench', 'test'];

/**
 * Test files that need modules of their own: they change the process's time zone (formatters
 * cached by a module keep the zone they were built in) or replace modules with vi.mock. The
 * rest share each worker's modules from file to file: a forked worker per file spent about a
 * second of CPU starting and importing before its first test, over 450 files.
 */
function filesNeedingFreshModules(): string[] {
  const marks = /\binTimeZone\(|process\.env\.TZ\b|\bvi\.(?:do)?mock\(/;
  return TEST_ROOTS.flatMap((root) =>
    fs.existsSync(root)
      ? (fs.readdirSync(root, { recursive: true }) as string[])
          .map((f) => path.posix.join(root, f.split(path.sep).join('/')))
          .filter((f) => /\.test\.tsx?$/.test(f) && !f.includes('node_modules') && marks.test(fs.readFileSync(f, 'utf8')))
      : [],
  );
}

const fresh = filesNeedingFreshModules();

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Workers run file after file without restarting (isolate: false); the 'fresh-modules'
    // project below still gets a new module graph per file, in the same processes.
    poolOptions: { forks: { isolate: false } },
    fileParallelism: true,
    maxWorkers: 4,
    // Without isolation, tinypool ends a worker that goes idle above minWorkers while vitest may
    // still hand it a file ("Terminating worker thread", the run fails): keep all four alive.
    minWorkers: 4,
    projects: [
      { extends: true, test: { name: 'shared-modules', include: INCLUDE, exclude: [...EXCLUDE, ...fresh] } },
      { extends: true, test: { name: 'fresh-modules', include: fresh, exclude: EXCLUDE, poolOptions: { forks: { isolate: true } } } },
    ],
  },
});
