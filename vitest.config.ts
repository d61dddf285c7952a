import { defineConfig } from 'vitest/config';

// `include` matters: without it vitest would also run the compiled copies under dist/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/global-setup.ts'],
    // Two cores: more workers only add PGlite start-ups competing for the same CPU.
    maxWorkers: 2,
  },
});
