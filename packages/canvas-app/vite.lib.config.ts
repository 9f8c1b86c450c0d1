import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The embeddable build: one minified ES module that defines `<inkroom-board>`, with every
 * dependency inside, written next to the app as dist/inkroom-board.js (the server serves it at
 * /inkroom-board.js). A plain build rather than library mode, which would leave it unminified.
 */
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: 'src/embed.ts',
      preserveEntrySignatures: 'exports-only',
      output: { format: 'es', entryFileNames: 'inkroom-board.js', codeSplitting: false },
    },
  },
});
