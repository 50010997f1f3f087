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

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
