import type { Database, Repositories } from '@mlapi/db';
import type { PasswordHasher } from '../features/auth/passwords.ts';
import type { TokenService } from '../features/auth/tokens.ts';
import type { Env } from './env.ts';
import type { CallLogWriter } from '../features/call-log/call-log-writer.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from '../features/ops/metrics.ts';
import type { LoginThrottle } from '../features/auth/login-throttle.ts';
import type { ServedModels } from '../features/models/served-models.ts';
import type { Retrainer } from '../features/retraining/retrainer.ts';
import type { ShadowRunner } from '../features/models/shadow-runner.ts';
import type { QuotaLeases } from '../features/quota/quota-leases.ts';

/** The long-lived services a request uses, built once at start-up by `startServer`. */
export interface AppDeps {
  env: Env;
  /** DATA_DIR as an absolute path (relative ones are taken from the repository root). */
  dataDir: string;
  /** The open database: its dialect, and closing it at shutdown. Data is reached through `data`. */
  db: Database;
  /** Every read and write of data (packages/db's repositories). */
  data: Repositories;
  tokens: TokenService;
  passwords: PasswordHasher;
  logger: Logger;
  metrics: Metrics;
  loginThrottle: LoginThrottle;
  /** The quota units this process has reserved and not yet spent (features/quota). */
  quotaLeases: QuotaLeases;
  /** Group commit of the service-call log (one transaction for the calls waiting). */
  callLog: CallLogWriter;
  /** The model each service answers with; swapped by a hot reload. */
  models: ServedModels;
  /** Shadow rollouts' predictions, made and written off the reply path. */
  shadows: ShadowRunner;
  /** Retraining jobs run by this server (features/retraining). */
  retraining: Retrainer;
  /** Injectable clock (tests pin time where it matters). */
  now: () => Date;
}
