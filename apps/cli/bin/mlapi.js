#!/usr/bin/env node
// The `mlapi` command. Inside the repository (src/ is there) it runs the TypeScript source through tsx, so
// `npx mlapi` works on a fresh clone without a build and is never stale. An installed package ships no src/
// (see "files"), so there it runs the self-contained bundle dist/mlapi.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/mlapi.js');
}
