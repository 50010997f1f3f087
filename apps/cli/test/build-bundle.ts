import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds dist/mlapi.js with the package's own tsup config, so the tests always run the current bundle. */
export default function buildBundle(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsupCli = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsupCli, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
