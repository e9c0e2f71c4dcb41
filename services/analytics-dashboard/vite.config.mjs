import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Built to dist/analytics-dashboard; the analytics service serves it at /dashboard/. */
export default defineConfig({
  root,
  base: '/dashboard/',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: fileURLToPath(new URL('../../dist/analytics-dashboard', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
