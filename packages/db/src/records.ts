import type { Role, ServiceVersion } from '@mlapi/schemas';

/**
 * What the repositories hand out and take: plain data, property names as the entities name them, never an ORM
 * entity or a raw row.
 */

/** A model service, as the call and prediction logs name it. */
export type ServiceName = ServiceVersion;

export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly country: string | null;
  readonly hashedPassword: string;
  readonly isActive: boolean;
  readonly role: Role;
  readonly hasAccessV1: boolean;
  readonly hasAccessV2: boolean;
  /** Bumped by a password change: every token issued before it stops counting. */
  readonly tokenVersion: number;
  /** Calls allowed per service per minute / per day; null means the server default. */
  readonly callsPerMinute: number | null;
  readonly callsPerDay: number | null;
  readonly createdAt: Date;
}

/** A user to add (the password already hashed). */
export interface NewUserRecord {
  username: string;
  firstName: string;
  lastName: string;
  country: string | null;
  hashedPassword: string;
  role: Role;
  isActive: boolean;
  hasAccessV1: boolean;
  hasAccessV2: boolean;
}

/** What an admin may change on a user (see the admin routes). */
export type UserChange = Partial<
  Pick<UserRecord, 'isActive' | 'hasAccessV1' | 'hasAccessV2' | 'role' | 'callsPerMinute' | 'callsPerDay'>
>;

export interface ApiKeyRecord {
  readonly id: number;
  readonly ownerId: number;
  readonly name: string;
  /** The public part shown in lists; only the key's hash is stored. */
  readonly prefix: string;
  readonly scopeV1: boolean;
  readonly scopeV2: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** The API key a request came with: what the checks need. */
export type KeySnapshot = Pick<ApiKeyRecord, 'id' | 'name' | 'prefix' | 'scopeV1' | 'scopeV2' | 'lastUsedAt'>;

export interface NewApiKeyRecord {
  ownerId: number;
  name: string;
  prefix: string;
  keyHash: string;
  scopeV1: boolean;
  scopeV2: boolean;
}

export interface AuditRecord {
  readonly id: number;
  readonly actorId: number | null;
  readonly actorUsername: string;
  readonly action: string;
  readonly targetUserId: number | null;
  readonly targetUsername: string | null;
  readonly details: Record<string, unknown> | null;
  readonly createdAt: Date;
}

/** One model service call as logged. */
export interface CallRecord {
  readonly id: number;
  readonly serviceVersion: ServiceName;
  readonly success: boolean;
  readonly error: string | null;
  readonly ownerId: number | null;
  readonly requestTime: Date;
  readonly completionTime: Date;
  readonly duration: number;
  /** The model that answered (for a refused call: the one serving then); null in rows from before. */
  readonly modelVersion: string | null;
}

/** One `service_calls` row to write. */
export interface NewCall {
  serviceVersion: ServiceName;
  success: boolean;
  error: string | null;
  owner: number;
  requestTime: Date;
  completionTime: Date;
  duration: number;
  modelVersion: string | null;
}

/**
 * What a call's predictions add to one drift_rollups bin: how many fell in `bin` of the model's reference bins for
 * `feature` (an input feature, a derived quantity such as v1 `tokens`, or `prediction`), and their values' sum.
 */
export interface DriftCount {
  feature: string;
  bin: number;
  count: number;
  valueSum: number;
}

/** One `prediction_logs` row of a successful call (the call it belongs to is set when written). */
export interface NewPrediction {
  serviceVersion: ServiceName;
  modelName: string;
  modelVersion: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  predictedValue: number | null;
  predictedLabel: string | null;
  createdAt: Date;
}

/** A page of a list, how many there are in all, and where the next page starts. */
export interface Counted<T> {
  items: T[];
  /** Rows in the whole list, counted up to `maxExactTotal` (and then that number). */
  total: number;
  /** False when the list holds more than `maxExactTotal` rows: `total` means "at least". */
  totalExact: boolean;
  /** The sort key of the page's last row when more rows follow (what the next page starts after); null on the last page. */
  next: readonly number[] | null;
}

/** A page to read: `limit` rows after `offset` rows, or after the row whose sort key is `after` (keyset: no OFFSET). */
export interface PageRequest {
  limit: number;
  offset: number;
  after?: readonly number[] | undefined;
}

/** A model version's states, its sources and how a version became live (see the model registry entities). */
export type ModelVersionState = 'registered' | 'live' | 'retired' | 'failed' | 'canary' | 'shadow';
type ModelSource = 'builtin' | 'onnx';
export type ModelDeploymentAction = 'first' | 'configured' | 'promote' | 'rollback' | 'reload';

/** A file of a model version's directory, as registered. */
export interface ModelFileRecord {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** A model version to register, with its files' bytes. */
export interface NewModelVersion {
  service: ServiceName;
  version: string;
  name: string;
  source: ModelSource;
  card: Record<string, unknown> | null;
  /** A retrained version's evaluation gate report. */
  evaluation?: Record<string, unknown> | null;
  files: readonly { path: string; bytes: Uint8Array }[];
  registeredBy: Pick<UserRecord, 'id' | 'username'> | null;
  registeredAt: Date;
}

export interface ModelVersionRecord {
  readonly id: number;
  readonly service: ServiceName;
  readonly version: string;
  readonly name: string;
  readonly source: ModelSource;
  readonly files: readonly ModelFileRecord[];
  /** SHA-256 over the sorted (path, file SHA-256) list: the version's content. */
  readonly sha256: string;
  readonly card: Record<string, unknown> | null;
  readonly evaluation: Record<string, unknown> | null;
  readonly state: ModelVersionState;
  readonly failure: string | null;
  readonly registeredById: number | null;
  readonly registeredByUsername: string | null;
  readonly registeredAt: Date;
}

/** A span during which a version was its service's live one (`liveUntil` null while it still is). */
export interface ModelDeploymentRecord {
  readonly id: number;
  readonly service: ServiceName;
  readonly versionId: number;
  readonly version: string;
  readonly action: ModelDeploymentAction;
  readonly actorUsername: string | null;
  readonly liveFrom: Date;
  readonly liveUntil: Date | null;
}

/**
 * How a candidate is tried beside the live version: a canary answers `percent` of users; a shadow predicts every
 * call beside the live version, answering none.
 */
type RolloutMode = 'canary' | 'shadow';
/** How a rollout ended: its candidate made live or stopped (by an admin or its guard), or replaced by another version. */
export type RolloutOutcome = 'promoted' | 'rolled_back' | 'cancelled' | 'auto_rolled_back' | 'auto_promoted';

/** A rollout to start: the candidate version (registered, not live) and how it is tried. */
export interface NewRollout {
  candidateId: number;
  mode: RolloutMode;
  percent: number | null;
  guard: Record<string, unknown>;
  autoPromote: boolean;
  actor: Pick<UserRecord, 'id' | 'username'> | null;
  at: Date;
}

/** A rollout, running (`endedAt` null) or ended. */
export interface RolloutRecord {
  readonly id: number;
  readonly service: ServiceName;
  readonly candidateId: number;
  readonly candidateVersion: string;
  /** The version live when it started. */
  readonly baselineId: number;
  readonly baselineVersion: string;
  readonly mode: RolloutMode;
  readonly percent: number | null;
  readonly guard: Record<string, unknown>;
  readonly autoPromote: boolean;
  readonly startedByUsername: string | null;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly outcome: RolloutOutcome | null;
  readonly endedByUsername: string | null;
  /** The guard's verdict that ended it, if it did. */
  readonly decision: Record<string, unknown> | null;
}
