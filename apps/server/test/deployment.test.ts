import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../src/core/env.ts';

// No Docker engine runs on the machines this is tested on: these checks read the files instead.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(root + file, 'utf8');

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<
      string,
      {
        environment?: Record<string, string>;
        depends_on?: Record<string, { condition: string }>;
        healthcheck?: { test: string[] };
        volumes?: string[];
        ports?: string[];
        build?: string;
        image?: string;
      }
    >;
    volumes: Record<string, unknown>;
  };

  it('compose runs the API and PostgreSQL with a volume, healthchecks, and the API waiting for a healthy database', () => {
    const { api, db } = compose.services;
    expect(api && db).toBeTruthy();
    expect(api!.build).toBe('.');
    expect(api!.depends_on?.db?.condition).toBe('service_healthy');
    expect(api!.healthcheck).toBeTruthy();
    // Over TCP, as the API connects: the image's first start runs a socket-only server while it initialises.
    expect(db!.healthcheck!.test.join(' ')).toMatch(/pg_isready -h 127\.0\.0\.1 /);
    expect(db!.volumes?.[0]).toMatch(/^pgdata:/);
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(api!.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.+@db:5432\/mlapi$/);
  });

  it('the database password travels apart from DATABASE_URL, so `/ # ? %` in it cannot break the URL', () => {
    const env = compose.services.api!.environment!;
    expect(env.DATABASE_URL).toBe('postgresql://mlapi@db:5432/mlapi');
    expect(env.PGPASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('compose asks the health of the port the server listens on, and publishes none (nginx does)', () => {
    const api = compose.services.api!;
    expect(api.environment?.PORT).toBe('${PORT:-8080}');
    expect(api.ports).toBeUndefined();
    const check = api.healthcheck!.test.join(' ');
    expect(check).toContain('process.env.PORT');
    expect(check).not.toContain(':8080/');
  });

  it('nginx fronts the replicas: the committed template, every variable of it set, the API trusting it', () => {
    const { lb, api } = compose.services;
    expect(lb!.ports).toEqual(['${MLAPI_PORT:-8080}:8080']);
    expect(lb!.depends_on?.api?.condition).toBe('service_healthy');
    expect(lb!.volumes).toContain('./deploy/nginx/templates:/etc/nginx/templates:ro');
    const template = read('deploy/nginx/templates/mlapi.conf.template').replace(/^\s*#.*$/gm, '');
    const used = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(lb!.environment!).sort());
    expect(lb!.environment!.MLAPI_UPSTREAM).toBe('api:${PORT:-8080}');
    expect(lb!.environment!.MAX_BODY_BYTES).toBe(api!.environment!.MAX_BODY_BYTES);
    expect(api!.environment!.TRUSTED_PROXIES).toBeTruthy();
  });

  it('every secret comes from .env and is required, none is written in a committed file', () => {
    const env = compose.services.api!.environment!;
    for (const name of ['JWT_SECRET', 'SUPERUSER_PASSWORD'])
      expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    expect(compose.services.db!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(read('.gitignore')).toMatch(/^\.env$/m);
    expect(existsSync(root + '.env.example')).toBe(true);
    expect(read('.env.example')).toMatch(/^JWT_SECRET=$/m);
  });

  it('every variable compose sets is one the server knows', () => {
    // PGPASSWORD: read by the PostgreSQL driver itself (packages/db/test/connection-options.test.ts), not by env.ts
    const known = new Set([...Object.keys(envSchema.shape), 'PGPASSWORD']);
    for (const name of Object.keys(compose.services.api!.environment!)) expect(known, name).toContain(name);
  });

  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  /** The instructions of one stage, from its FROM line to the next. */
  const stage = (name: string) => {
    const start = instructions.search(new RegExp(`^FROM .+ AS ${name}$`, 'm'));
    expect(start, name).toBeGreaterThanOrEqual(0);
    const next = instructions.slice(start + 1).search(/^FROM /m);
    return next < 0 ? instructions.slice(start) : instructions.slice(start, start + 1 + next);
  };

  it('the image installs production dependencies only, runs as a non-root user, and bakes in no secret', () => {
    expect(dockerfile).toMatch(/^FROM .+ AS deps$/m);
    expect(stage('prod-deps')).toMatch(/npm prune --omit=dev/);
    expect(stage('runtime')).toMatch(/^COPY --from=prod-deps \/app\/node_modules \.\/node_modules$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^COPY --from=dashboard \/app\/apps\/dashboard\/dist /m);
    expect(instructions).not.toMatch(/JWT_SECRET|SUPERUSER_PASSWORD|POSTGRES_PASSWORD|PGPASSWORD/);
  });

  it('without DATABASE_URL the image keeps SQLite on the data volume, which the non-root user owns', () => {
    const runtime = stage('runtime');
    expect(runtime).toMatch(/^ENV .*\bDATA_DIR=\/data\b/m);
    expect(runtime).toMatch(/^ENV .*\bDATABASE_URL=sqlite:\/data\/mlapi\.sqlite\b/m);
    expect(runtime).toMatch(/mkdir -p \/data && chown node:node \/data/);
    expect(runtime).toMatch(/^VOLUME \/data$/m);
    expect(runtime.indexOf('chown node:node /data')).toBeLessThan(runtime.indexOf('VOLUME /data'));
  });

  it('the image health check asks the port in PORT, not a fixed one', () => {
    const check = instructions.slice(instructions.indexOf('HEALTHCHECK'));
    expect(check).toContain('process.env.PORT');
    expect(check).not.toContain(':8080/');
  });

  it('every stage runs Node 24 LTS, so native modules are built for the Node that loads them', () => {
    const bases = [...instructions.matchAll(/^FROM (\S+)/gm)]
      .map((m) => m[1]!)
      .filter((base) => base.startsWith('node:'));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:24-/);
  });

  it('installs once, builds offline-friendly, and keeps only the target platform of onnxruntime', () => {
    expect(dockerfile).not.toMatch(/^# *syntax=/m);
    expect(instructions.match(/npm ci/g)).toHaveLength(1);
    expect(stage('dashboard')).toMatch(/^FROM deps AS dashboard$/m);
    // the onnxruntime install switch comes from the environment before `npm ci`, never from .npmrc
    expect(stage('deps').indexOf('ENV ONNXRUNTIME_NODE_INSTALL=skip')).toBeGreaterThan(0);
    expect(stage('deps').indexOf('ENV ONNXRUNTIME_NODE_INSTALL=skip')).toBeLessThan(stage('deps').indexOf('npm ci'));
    expect(instructions).not.toContain('.npmrc');
    const prune = stage('prod-deps');
    expect(prune).toContain('rm -rf "$napi/darwin" "$napi/win32"');
    expect(prune).toMatch(/find "\$napi\/linux" .*! -name "\$arch" -exec rm -rf/);
    expect(prune).toMatch(/providers_cuda.*providers_tensorrt/);
    expect(prune).toMatch(/cd node_modules\/better-sqlite3 && rm -rf deps src /);
    // tsconfig.base.json is there before the bundle step (esbuild warns once per package otherwise)
    const runtime = stage('runtime');
    expect(runtime).toMatch(/^COPY .*tsconfig\.base\.json/m);
    expect(runtime.search(/^COPY .*tsconfig\.base\.json/m)).toBeLessThan(runtime.indexOf('bundle.mjs'));
  });

  it('.dockerignore keeps every .env file, host installs and builds, and local data out of the image', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const pattern of ['**/.env*', '**/node_modules', '**/dist', '**/data', '.git'])
      expect(ignored, pattern).toContain(pattern);
    expect(ignored).not.toContain('!.env.example');
  });

  it('the image holds every workspace package the server depends on', () => {
    const server = JSON.parse(read('apps/server/package.json')) as { dependencies: Record<string, string> };
    const workspaces = Object.keys(server.dependencies).filter((name) => name.startsWith('@mlapi/'));
    expect(workspaces).toContain('@mlapi/onnx');
    for (const name of workspaces) {
      const dir = `packages/${name.slice('@mlapi/'.length)}`;
      expect(dockerfile, name).toContain(`COPY ${dir}/package.json ${dir}/`);
      expect(dockerfile, name).toContain(`COPY ${dir} ./${dir}`);
    }
  });
});
