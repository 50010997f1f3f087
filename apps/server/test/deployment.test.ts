import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../src/env.ts';

// No Docker engine runs on the machines this is tested on: these checks read the files instead.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(root + file, 'utf8');

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, { environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; volumes?: string[]; build?: string }>;
    volumes: Record<string, unknown>;
  };

  it('compose runs the API and PostgreSQL with a volume, healthchecks, and the API waiting for a healthy database', () => {
    const { api, db } = compose.services;
    expect(api && db).toBeTruthy();
    expect(api!.build).toBe('.');
    expect(api!.depends_on?.db?.condition).toBe('service_healthy');
    expect(api!.healthcheck).toBeTruthy();
    expect(db!.healthcheck).toBeTruthy();
    expect(db!.volumes?.[0]).toMatch(/^pgdata:/);
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(api!.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.+@db:5432\/mlapi$/);
  });

  it('every secret comes from .env and is required, none is written in a committed file', () => {
    const env = compose.services.api!.environment!;
    for (const name of ['JWT_SECRET', 'SUPERUSER_PASSWORD']) expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    expect(compose.services.db!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(read('.gitignore')).toMatch(/^\.env$/m);
    expect(existsSync(root + '.env.example')).toBe(true);
    expect(read('.env.example')).toMatch(/^JWT_SECRET=$/m);
  });

  it('every variable compose sets is one the server knows', () => {
    const known = new Set(Object.keys(envSchema.shape));
    for (const name of Object.keys(compose.services.api!.environment!)) expect(known, name).toContain(name);
  });

  it('the image installs production dependencies only, runs as a non-root user, and bakes in no secret', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM .+ AS deps$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^COPY --from=dashboard \/app\/apps\/dashboard\/dist /m);
    const instructions = dockerfile.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    expect(instructions).not.toMatch(/JWT_SECRET|SUPERUSER_PASSWORD|POSTGRES_PASSWORD/);
    expect(read('.dockerignore')).toMatch(/^\.env$/m);
  });

  it('the image holds every workspace package the server depends on', () => {
    const dockerfile = read('Dockerfile');
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
