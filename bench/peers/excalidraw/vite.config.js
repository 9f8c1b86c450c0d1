import { defineConfig } from 'vite';

/** Builds the benchmark page into ./dist, with relative URLs so any static server can serve it. */
export default defineConfig({
  base: './',
  logLevel: 'error',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 10_000 },
});
