import { defineConfig } from 'vitest/config';

// Suites that stop or restart shared services (the broker): one file at a time, after the rest.
export default defineConfig({
  test: {
    include: ['electron/**/*.fault.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
