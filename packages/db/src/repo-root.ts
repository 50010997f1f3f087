import { fileURLToPath } from 'node:url';

/** The repository root: relative paths in configuration resolve against it, whatever the working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
