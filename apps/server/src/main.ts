import { serverVersion, startServer } from './app.ts';
import { loadEnv } from './core/env.ts';
import { startBanner } from './ops/start-banner.ts';

let env;
try {
  env = loadEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

/**
 * SIGTERM / SIGINT stop the server gracefully: calls in flight finish, the call log is written, then the process
 * exits. The handlers are installed before start-up, so a signal that arrives while it runs (or just after the
 * 'mlapi listening' line, before this module's next statement) is never the default instant death: the server
 * stops as soon as it is up; a second signal during start-up exits at once.
 */
let stopRequested = false;
let stop = (): void => {
  // A second signal while start-up still runs (a migration waiting on another replica, say): give up at once.
  if (stopRequested) process.exit(1);
  stopRequested = true;
  console.error('mlapi: stopping once start-up is done (signal again to exit now)');
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop());

let server;
try {
  server = await startServer(env);
} catch (err) {
  // A configuration the process cannot serve with (a model that does not match its manifest, say): one clear
  // message, no stack.
  console.error(`mlapi could not start: ${(err as Error).message}`);
  process.exit(1);
}

if (process.stderr.isTTY) process.stderr.write(`${startBanner(server, serverVersion)}\n`);

const running = server;
let stopping = false;
stop = () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  running.close().then(
    () => {
      clearTimeout(force);
      process.exit(0);
    },
    () => process.exit(1),
  );
};
if (stopRequested) stop();
