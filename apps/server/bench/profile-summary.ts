/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: self time by function (and by package) from a
 * `node --cpu-prof` profile, e.g. the server's under `npm run bench -- --cpu-prof`.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 30);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const place = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  if (url.includes('/apps/') || url.includes('/packages/')) return url.replace(/^.*\/(apps|packages)\//, '$1/');
  return url || '(native)';
};

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id)!;
  const where = place(callFrame.url);
  const key = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg =
    where.startsWith('apps/') || where.startsWith('packages/')
      ? where.split('/').slice(0, 2).join('/')
      : where.split(':')[0]!;
  const special = ['(idle)', '(program)', '(garbage collector)'].includes(callFrame.functionName);
  const pkgKey = special ? callFrame.functionName : pkg;
  pkgs.set(pkgKey, (pkgs.get(pkgKey) ?? 0) + us);
}

const show = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
show('self time by package', pkgs, 20);
show('self time by function', fns, top);
