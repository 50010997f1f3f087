import type { KeySnapshot, UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';

/** Whether this user (through this API key, if any) may call this service right now; the reason if not. */
export function serviceDenial(user: UserRecord, version: ServiceVersion, apiKey: KeySnapshot | null = null): string | null {
  if (!user.isActive) return 'Account is inactive: an admin must activate it';
  const allowed = version === 'v1' ? user.hasAccessV1 : user.hasAccessV2;
  if (!allowed) return `No access to service ${version}: ask an admin to grant has_access_${version}`;
  if (apiKey && !(version === 'v1' ? apiKey.scopeV1 : apiKey.scopeV2)) return `This API key is not scoped to service ${version}`;
  return null;
}
