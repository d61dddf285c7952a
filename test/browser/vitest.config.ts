/**
 * The browser suite (`npm run test:browser`): the built service driven through the web console in Debian's
 * Chromium. Not part of `npm test`, which a fresh clone passes without a browser or a build.
 */
import { defineConfig } from 'vitest/config';
import { nodeResolve } from '../../vitest.config.js';

export default defineConfig({
  resolve: nodeResolve,
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
});
