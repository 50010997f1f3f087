import { defineConfig } from 'tsup';

/**
 * The publishable build: dist/index.js (ESM, browser- and Node-safe; @trpc/* and superjson stay dependencies)
 * and dist/index.d.ts. Inside the workspace nothing needs it: `exports` points at the TypeScript source.
 * The declarations still import the router's types from @mlapi/server (type-only); inlining them for a
 * registry release is left to the publishing work (see README).
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
  dts: { compilerOptions: { allowImportingTsExtensions: true, noEmit: false } },
  external: ['@trpc/client', '@trpc/server', 'superjson'],
});
