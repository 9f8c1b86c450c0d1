import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  // Workspace packages are bundled from their TypeScript sources.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173 },
});
