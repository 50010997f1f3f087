/** Runs a retraining in a child process at lower CPU priority, relaying its progress. */
import { retrainChildPath, type RetrainMessage } from '@mlapi/ml';
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';

/** The TypeScript loader the child runs under (the server's own dependency). */
const tsxLoader = import.meta.resolve('tsx');

export interface RetrainChild {
  /** Resolves when the child has written its results; rejects with why it did not. */
  done: Promise<void>;
  /** Stops the child (the server is stopping). */
  kill: () => void;
}

/**
 * Forks the retraining child on `specPath`; `onProgress` gets each progress report. `nice` is added to its CPU
 * priority (Unix niceness), so serving calls keeps the CPU first.
 */
export function runRetrainChild(
  specPath: string,
  nice: number,
  onProgress: (p: Extract<RetrainMessage, { type: 'progress' }>) => void,
): RetrainChild {
  const child = fork(retrainChildPath, [specPath], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, Math.max(0, nice)));
    } catch {
      /* not permitted here: it runs at the server's priority */
    }
  }
  let failure = '';
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderrTail = (stderrTail + chunk.toString()).slice(-4000)));
  child.on('message', (m: RetrainMessage) => {
    if (m.type === 'progress') onProgress(m);
    else failure = m.error;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            failure ||
              (signal ? `the training process was stopped (${signal})` : stderrTail.trim().split('\n').at(-1)) ||
              `the training process exited with code ${code}`,
          ),
        );
    });
  });
  return { done, kill: () => void child.kill('SIGTERM') };
}
