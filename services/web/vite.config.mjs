import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The coaching workspace, built to dist/web; nginx serves it and proxies /api/<service>/ (infra/nginx). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  // `vite --config services/web/vite.config.mjs` for development: the same /api/<service>/ paths as nginx
  server: {
    proxy: Object.fromEntries(
      Object.entries({ identity: 3001, coaching: 3002, feedback: 3003, analytics: 3004 }).map(([service, port]) => [
        `/api/${service}`,
        { target: `http://127.0.0.1:${port}`, rewrite: (path) => path.slice(`/api/${service}`.length) },
      ]),
    ),
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // the charts load only with the pages that draw them; the initial route stays small
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ['src/**/*.unit.spec.ts'],
    environment: 'node',
    reporters: ['default', fileURLToPath(new URL('./vitest-results-reporter.mjs', import.meta.url))],
  },
});
