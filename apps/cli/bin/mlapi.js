#!/usr/bin/env node
// The `mlapi` command: always the bundle in dist/ (a TypeScript loader would cost seconds per call).
// Installed (`npm i -g @mlapi/cli`) there is no src/ (see "files") and the bundle is simply run. In the repository
// (`npx mlapi`), the bundle is built first when it is missing or older than the sources it is made of — here,
// not in a `postinstall`, which would break the image's `npm ci --omit=dev` (no tsup there).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// MLAPI_CLI_DIST: build and run the bundle in another folder (the tests use a temporary one).
const dist = process.env.MLAPI_CLI_DIST || join(root, 'dist');
const bundle = join(dist, 'mlapi.js');

/** True when `path` (a file, or any file below a folder) was modified after `time`. */
function newerThan(path, time) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) return stat.mtimeMs > time;
  return readdirSync(path).some((name) => newerThan(join(path, name), time));
}

function build() {
  process.stderr.write(
    `mlapi: building ${relative(process.cwd(), bundle) || bundle} from the sources (missing or older than them)…\n`,
  );
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist', 'cli-default.js');
  // Built beside, then moved in: a concurrent `mlapi` never runs a half-written bundle.
  const tmp = `${dist}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, [tsup, '--silent', '--out-dir', tmp], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    process.stderr.write('mlapi: the build failed (see above)\n');
    process.exit(1);
  }
  rmSync(dist, { recursive: true, force: true });
  try {
    renameSync(tmp, dist);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true }); // another mlapi moved its fresh build in first
    if (!existsSync(bundle)) throw err;
  }
}

if (existsSync(join(root, 'src'))) {
  const packages = join(root, '..', '..', 'packages');
  const sources = [
    join(root, 'src'),
    join(root, 'package.json'),
    join(root, 'tsup.config.ts'),
    // the workspace packages bundled in
    ...['sdk', 'schemas', 'ml'].flatMap((p) => [join(packages, p, 'src'), join(packages, p, 'package.json')]),
  ];
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : -Infinity;
  if (sources.some((p) => newerThan(p, built))) build();
}
await import(pathToFileURL(bundle).href);
