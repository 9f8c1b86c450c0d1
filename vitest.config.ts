import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import each package's TypeScript sources directly, so no build is needed to run them.
export default defineConfig({
  resolve: {
    alias: {
      '@inkroom/shared': src('shared'),
      '@inkroom/sync-server': src('sync-server'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // Every test file's server logs and CLI output are checked for tokens and secrets at its end.
    setupFiles: ['./tests/helpers/secret-scan.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
