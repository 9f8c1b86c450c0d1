import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/** Tests that assert delays or memory against fixed bounds. */
const TIMED = [
  'tests/hostile.test.ts',
  'tests/hostile-stored.test.ts',
  'tests/memory.test.ts',
  'tests/awareness-flood.test.ts',
];

// Tests import each package's TypeScript sources directly, so no build is needed to run them.
export default defineConfig({
  resolve: {
    alias: {
      '@inkroom/shared/testing': fileURLToPath(
        new URL('./packages/shared/src/testing/index.ts', import.meta.url),
      ),
      '@inkroom/shared': src('shared'),
      '@inkroom/sync-server': src('sync-server'),
    },
  },
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // Every test file's server logs and CLI output are checked for tokens and secrets at its end.
    setupFiles: ['./tests/helpers/secret-scan.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...TIMED],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // What measures delays and memory runs after the rest, one file at a time: a browser or
        // a load in a parallel file would take the CPU that the bounds are about (2 cores here).
        extends: true,
        // Their servers run in the test process: with the young generation the server gives itself
        // (6 MiB, cli.ts), so a scavenge there is as short as in a real server.
        test: {
          name: 'timed',
          include: TIMED,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          execArgv: ['--max-semi-space-size=2'],
        },
      },
    ],
  },
});
