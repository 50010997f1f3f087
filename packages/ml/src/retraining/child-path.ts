import { fileURLToPath } from 'node:url';

/** The retraining child process's entry, a TypeScript file the server runs through tsx's loader. */
export const retrainChildPath = fileURLToPath(new URL('./retrain-child.ts', import.meta.url));
