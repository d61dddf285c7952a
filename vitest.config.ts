import { configDefaults, defineConfig } from 'vitest/config';

/**
 * graphql ships CommonJS (main) and ESM (module) builds; Vite would pick the ESM one for our code while
 * type-graphql and Apollo get the CommonJS one from Node, and graphql refuses types from "another realm".
 */
export const nodeResolve = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

// `include` matters: without it vitest would also run the compiled copies under dist/.
export default defineConfig({
  resolve: nodeResolve,
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'src/**/*.test.ts'],
    // The browser suite needs Chromium and a build: its own command (`npm run test:browser`).
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/global-setup.ts'],
    // Two cores: more workers only add PGlite start-ups competing for the same CPU.
    maxWorkers: 2,
    // Files run one after another in a worker's process without a fresh module graph each: importing the service
    // (type-graphql, Apollo, MikroORM, PGlite) once per worker instead of once per file saves minutes. Tests
    // keep no state in modules; the one process-wide thing, the metrics registry, is reset by the test that reads it.
    isolate: false,
  },
});
