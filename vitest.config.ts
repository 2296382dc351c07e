import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they test (*.test.ts); tests that talk to the real
// RabbitMQ broker and real SQLite files are *.int.test.ts. Long variants run only
// under `npm run test:long` (PAYOPS_LONG=1).
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', '**/*.fault.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 4,
  },
});
