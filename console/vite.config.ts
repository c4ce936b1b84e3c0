import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/console beside the compiled gateway (dist/gateway), which serves it: `npm run build`
 * wipes dist/ and rebuilds both, so one clean step produces everything `npm start` and the Docker image run.
 * No React plugin: Vite's built-in Oxc transform compiles TSX with the automatic runtime (no `import React` needed).
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  // In development (`nx run console:dev`) the graph and the sign-in endpoint are the gateway's, on its default port.
  server: { proxy: { '/graphql': 'http://localhost:4000', '/dev': 'http://localhost:4000', '/console': 'http://localhost:4000' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The entry chunk's gzipped size is measured by bundle-size.mjs against the budget in console/README.md.
    reportCompressedSize: false,
    // Vite's warning counts minified bytes of one chunk; the budget that matters is the first screen's gzipped total.
    chunkSizeWarningLimit: 1500,
    manifest: true,
    rolldownOptions: {
      // Ant Design marks its modules "use client" for React Server Components; a client-only bundle has no use for it.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});
