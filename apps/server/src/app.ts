import { createRepositories, openDatabase, repoRoot } from '@mlapi/db';
import { serviceVersions } from '@mlapi/schemas';
import type { AddressInfo } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { resolveJwtSecret } from './features/auth/jwt-secret.ts';
import { PasswordHasher } from './features/auth/passwords.ts';
import { TokenService } from './features/auth/tokens.ts';
import type { AppDeps } from './core/deps.ts';
import type { Env } from './core/env.ts';
import { createApiHandler } from './http/api-handler.ts';
import { createHttpServer, listen } from './http/server.ts';
import { drainHttpServer } from './http/drain.ts';
import { createLogger } from './core/logger.ts';
import { Metrics } from './features/ops/metrics.ts';
import { loadConfiguredModels } from './features/models/model-loader.ts';
import { ServedModels } from './features/models/served-models.ts';
import { ShadowRunner } from './features/models/shadow-runner.ts';
import { Retrainer } from './features/retraining/retrainer.ts';
import { recordServedModels } from './features/models/model-versions.ts';
import { followRegistry } from './features/models/model-promotion.ts';
import { watchRollouts } from './features/models/rollout-guard.ts';
import { createAppRouter } from './app-router.ts';
import { CallLogWriter } from './features/call-log/call-log-writer.ts';
import { scheduleRetention, type RetentionSchedule } from './features/call-log/retention-schedule.ts';
import { watchDrift } from './features/drift/drift-watch.ts';
import { LoginThrottle } from './features/auth/login-throttle.ts';
import { QuotaLeases } from './features/quota/quota-leases.ts';
import { ensureSuperuser } from './features/users/superuser.ts';

/** Calls a shadow candidate works on at once (an ONNX candidate's worker threads take them side by side). */
const shadowConcurrency = 2;

export const serverVersion = '0.1.0';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  /**
   * Stops accepting, lets requests in flight finish, then closes the database. Idle keep-alive sockets are closed
   * after `idleGraceMs` (default: the keep-alive timeout; see http/drain.ts; tests without a proxy pass 0).
   */
  close(options?: { idleGraceMs?: number }): Promise<void>;
}

/**
 * Binds the port first (a port in use stops the start before the database is opened or a file written; requests
 * meanwhile get a 503 `starting`), then builds everything from a parsed config, applies migrations, bootstraps the
 * superuser, and hands the port to the API.
 */
export async function startServer(env: Env): Promise<RunningServer> {
  const logger = createLogger(
    env.LOG_LEVEL,
    env.LOG_FORMAT === 'auto' ? (process.stderr.isTTY ? 'pretty' : 'json') : env.LOG_FORMAT,
  );
  const dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(repoRoot, env.DATA_DIR);
  const { server, serve } = createHttpServer();
  await listen(server, env.PORT, env.HOST);
  const { port } = server.address() as AddressInfo;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  const url = `http://${host}:${port}`;
  logger.debug({ url }, 'port bound, starting');

  let deps: AppDeps;
  let sweeper: NodeJS.Timeout;
  let stopFollowing = () => {};
  let stopGuard = () => {};
  let stopDriftWatch = () => {};
  let retention: RetentionSchedule;
  try {
    // Own models first: a manifest that does not match its graph stops the start before the database opens.
    const served = await loadConfiguredModels({ v1: env.MODEL_DIR_V1, v2: env.MODEL_DIR_V2 }, env.ONNX_WORKER_THREADS);
    const secret = resolveJwtSecret({ configured: env.JWT_SECRET, dataDir, warn: (m) => logger.warn(m) });
    const db = await openDatabase(env.DATABASE_URL, {
      migrate: env.MIGRATE_ON_START ? true : 'verify',
      onMigrationWait: () => logger.info('another replica is migrating the database: waiting for it'),
      connectTimeoutMs: env.DATABASE_TIMEOUT_MS,
      onDriverWarning: (message) => logger.warn({ component: 'database pool' }, message),
      listenUrl: env.DATABASE_LISTEN_URL,
      onListenConnection: (state, err) =>
        state === 'lost'
          ? logger.warn(
              { err },
              'change notifications lost: the rights cache is off (reading through) until they are back',
            )
          : logger.debug('listening for changes to users and API keys'),
    });
    const data = createRepositories(db);
    await db.changes.start();
    const models = new ServedModels(served);
    const metrics = new Metrics();
    deps = {
      env,
      db,
      data,
      tokens: new TokenService(secret, env.ACCESS_TOKEN_EXPIRE_MINUTES * 60),
      passwords: new PasswordHasher(env.BCRYPT_COST),
      logger,
      metrics,
      loginThrottle: new LoginThrottle(env, data.rateLimits),
      quotaLeases: new QuotaLeases(
        data.quotaLeases,
        () => deps.now().getTime(),
        (err, m) => logger.warn({ err }, m),
      ),
      callLog: new CallLogWriter(data.callLog, {
        maxCalls: env.CALL_LOG_MAX_BATCH,
        lingerMs: env.CALL_LOG_LINGER_MS,
      }),
      dataDir,
      models,
      shadows: new ShadowRunner(
        { models, shadowPredictions: data.shadowPredictions, metrics, logger, now: () => deps.now() },
        { maxQueued: env.SHADOW_QUEUE_MAX, concurrency: shadowConcurrency },
      ),
      retraining: new Retrainer(() => deps),
      now: () => new Date(),
    };
    metrics.observeShadowBacklog(() => deps.shadows.backlog);
    try {
      await ensureSuperuser(data.users, deps.passwords, logger, env.SUPERUSER_EMAIL, env.SUPERUSER_PASSWORD);
    } catch (err) {
      await db.close();
      throw err;
    }
    // Other replicas may promote or roll back: follow the registry's notifications (from before the first read).
    stopFollowing = followRegistry(deps, serviceVersions);
    await recordServedModels(deps, { v1: env.MODEL_DIR_V1, v2: env.MODEL_DIR_V2 });
    stopGuard = watchRollouts(deps, serviceVersions);
    await deps.retraining.recover();
    stopDriftWatch = watchDrift(deps, serviceVersions);
    deps.metrics.observeAuthReads(data.auth.stats, () => db.changes.live());
    deps.metrics.observeCallLog(deps.callLog.stats);
    if (env.WARM_MODELS) deps.models.warmUp().catch((err) => logger.error({ err }, 'model warm-up failed'));
    sweeper = setInterval(() => {
      data.rateLimits.sweep(Date.now()).catch((err) => logger.warn({ err }, 'rate-limit sweep failed'));
    }, 5 * 60_000).unref();
    retention = scheduleRetention(db, env.RETENTION_DAYS, logger);
    serve(createApiHandler(createAppRouter(served), deps, serverVersion));
  } catch (err) {
    // Give the port back before reporting (tests and supervisors may retry on it at once).
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
    throw err;
  }
  const { db } = deps;
  logger.info({ url, database: db.target.dialect }, 'mlapi listening');

  return {
    url,
    deps,
    close: async ({ idleGraceMs = server.keepAliveTimeout } = {}) => {
      clearInterval(sweeper);
      stopFollowing();
      stopGuard();
      stopDriftWatch();
      await drainHttpServer(server, idleGraceMs);
      await deps.retraining.stop();
      await deps.callLog.drained();
      await deps.shadows.drained();
      // Unspent quota units go back to their windows, so the other replicas can use them.
      await deps.quotaLeases.close();
      await retention.stop();
      await db.close();
      await deps.models.dispose();
      logger.flush();
    },
  };
}
