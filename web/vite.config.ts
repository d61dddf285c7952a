/**
 * The web console's build: `npm run build` writes it to dist/web, which the service serves at `/`
 * (src/app/static-console.ts). `npx vite --config web/vite.config.ts` serves it in development and sends the
 * API's paths to a service on :4000 (`npm run dev`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = { target: 'http://127.0.0.1:4000', changeOrigin: false };

export default defineConfig({
  root: here,
  plugins: [react()],
  build: {
    outDir: path.join(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    // The CSP allows no inline script; Vite's module-preload polyfill is part of the entry chunk, not inline.
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/graphql': api, '/qwc': api, '/qbwc': api, '/healthz': api } },
});
