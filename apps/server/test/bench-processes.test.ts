import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('../', import.meta.url));

/** A bench that starts the bare baseline server, prints its pid, then ends as `end` says. */
const benchScript = (end: string) => `
import { spawnBaseline } from './bench/bench-processes.ts';
const child = await spawnBaseline();
console.log('child ' + child.pid);
${end}
`;

/** Runs `script` as a bench runs (tsx), signalling it once it has printed its child's pid; the pid and exit code. */
function runBench(script: string, signal?: NodeJS.Signals): Promise<{ pid: number; code: number | null }> {
  return new Promise((done, fail) => {
    const bench = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: serverDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let pid = 0;
    bench.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /child (\d+)/.exec(out);
      if (match && !pid) {
        pid = Number(match[1]);
        if (signal) bench.kill(signal);
      }
    });
    bench.stderr.resume();
    bench.once('error', fail);
    bench.once('exit', (code) => (pid ? done({ pid, code }) : fail(new Error(`no child started:\n${out}`))));
  });
}

/** Whether the process is gone within two seconds; if not, it is killed, so a failing test leaves nothing behind. */
async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.kill(pid, 'SIGKILL');
  return false;
}

describe("a bench's child processes", () => {
  it('are stopped when the bench fails after starting them', async () => {
    const { pid, code } = await runBench(benchScript("throw new Error('a later server failed to start');"));
    expect(code).toBe(1);
    expect(await gone(pid)).toBe(true);
  });

  it('are stopped when the bench is stopped by a signal (Ctrl-C, a timeout)', async () => {
    const { pid, code } = await runBench(
      benchScript('await new Promise(() => setInterval(() => {}, 1000));'),
      'SIGTERM',
    );
    expect(code).toBe(128 + 15);
    expect(await gone(pid)).toBe(true);
  });
});
