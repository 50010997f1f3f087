/**
 * Debian's nginx as a test's own process, in front of server processes, with the committed config
 * (deploy/nginx/templates/mlapi.conf.template) rendered as the official nginx image renders it, one upstream
 * `server` line per replica. Used by the load-balancer test and the replicas bench.
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const template = fileURLToPath(new URL('../../../deploy/nginx/templates/mlapi.conf.template', import.meta.url));

/** nginx on PATH, else where Debian puts it (/usr/sbin is not on a non-root PATH). */
function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'nginx'), constants.X_OK);
      return join(dir, 'nginx');
    } catch {
      /* not here */
    }
  }
  throw new Error('nginx is not installed (Debian: apt-get install nginx-light); .ci/run installs it');
}

/**
 * The template with its `${NAME}` variables filled in; the upstream `server` line repeated for each address.
 * A variable without a value is an error, so a new one in the template cannot go unnoticed here.
 */
function renderNginxTemplate(vars: Record<string, string>, upstreams: readonly string[]): string {
  return readFileSync(template, 'utf8')
    .split('\n')
    .flatMap((line) =>
      line.includes('${MLAPI_UPSTREAM}')
        ? upstreams.map((address) =>
            line.replace('${MLAPI_UPSTREAM}', address).replace('${MLAPI_UPSTREAM_RESOLVE} ', ''),
          )
        : [line],
    )
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
            const value = vars[name];
            if (value === undefined) throw new Error(`the nginx template needs ${name}`);
            return value;
          }),
    )
    .join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

export interface NginxProcess {
  url: string;
  pid: number;
  /** nginx's access log so far (format `mlapi` of the template: client, request, status, upstream …). */
  accessLog(): string;
  stop(): Promise<void>;
}

/** nginx in the foreground on a free loopback port, its pid, logs and temporary files in a directory of its own. */
export async function startNginx(
  upstreams: readonly string[],
  maxBodyBytes = 1024 * 1024,
  maxUploadBytes = 256 * 1024 * 1024,
): Promise<NginxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mlapi-nginx-'));
  // Run as root (CI), nginx's workers are another user: they write request bodies under this directory.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const site = renderNginxTemplate(
    {
      NGINX_RESOLVER: '127.0.0.1',
      NGINX_PORT: `127.0.0.1:${port}`,
      NGINX_ACCESS_LOG: join(dir, 'access.log'),
      MAX_BODY_BYTES: String(maxBodyBytes),
      MAX_UPLOAD_BYTES: String(maxUploadBytes),
    },
    upstreams,
  );
  writeFileSync(join(dir, 'mlapi.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      'error_log stderr warn;',
      'events { worker_connections 1024; }',
      `http { ${temp.join(' ')} include ${join(dir, 'mlapi.conf')}; }`,
    ].join('\n'),
  );
  const child = spawn(findNginx(), ['-p', dir, '-e', 'stderr', '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let tries = 0; !(await accepts(port)); tries++) {
    if (child.exitCode !== null || tries > 100) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${errors}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
