import type { RunningServer } from '../app.ts';
import { developmentSuperuserPassword } from '../features/users/superuser.ts';

/** Where the database lives, without any password a URL may carry. */
function describeDatabase(server: RunningServer): string {
  const target = server.deps.db.target;
  if (target.dialect === 'sqlite') return `SQLite, ${target.path}`;
  const url = new URL(target.url);
  return `PostgreSQL, ${url.hostname}:${url.port || 5432}/${target.dbName}`;
}

/**
 * What a person who just ran `npm start` needs (printed on a terminal only; log collectors get the JSON line
 * `mlapi listening`): where the docs and the dashboard are, which database, and how to sign in the first time.
 */
export function startBanner(server: RunningServer, version: string): string {
  const { env } = server.deps;
  const models = (['v1', 'v2'] as const).map((s) => {
    const m = server.deps.models.current(s);
    return `${s} ${m.name} ${m.version}`;
  });
  const lines = [
    '',
    `  mlapi ${version} is listening on ${server.url}`,
    '',
    `    API docs   ${server.url}/docs`,
    `    Dashboard  ${server.url}/dashboard`,
    `    Database   ${describeDatabase(server)}`,
    `    Models     ${models.join(' · ')}`,
    '',
  ];
  if (!env.SUPERUSER_PASSWORD && env.NODE_ENV !== 'production')
    lines.push(
      `  Sign in as ${env.SUPERUSER_EMAIL} with the development password ${developmentSuperuserPassword} (set SUPERUSER_PASSWORD to choose one).`,
    );
  lines.push('  Ctrl-C stops the server.', '');
  return lines.join('\n');
}
