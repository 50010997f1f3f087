import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The end-to-end tests spawn the real bundle: build it once, first.
    globalSetup: ['test/build-bundle.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
