import { defineConfig } from 'tsup';

/**
 * One self-contained file, dist/mlapi.js: the SDK, the schemas and every npm dependency are bundled, so
 * `npm i -g` needs nothing else. Bundled CommonJS dependencies (cli-table3, …) call `require`, which an ES
 * module lacks: the banner provides one.
 */
export default defineConfig({
  entry: { mlapi: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  bundle: true,
  noExternal: [/.*/],
  // Each command's module is its own chunk, loaded by a dynamic import when the command runs.
  splitting: true,
  sourcemap: false,
  minify: false,
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __mlapiCreateRequire } from 'node:module';\nconst require = __mlapiCreateRequire(import.meta.url);",
  },
});
