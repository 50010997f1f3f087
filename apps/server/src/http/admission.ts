/**
 * Admission per event-loop turn. With a synchronous database driver (better-sqlite3) a request runs from its
 * parse to the call-log queue without ever yielding to I/O, so under 1,000 connections one poll phase could run
 * a thousand requests back to back (seconds) before the loop reads another socket — /healthz and every new
 * request would wait behind them. Here at most `perTurn` API requests start per turn of the loop; the rest start
 * on later turns (setImmediate), so each turn stays short and the loop keeps answering. Cheap when idle: a
 * request that finds budget left starts at once.
 */
export function createAdmission(perTurn = 16) {
  let started = 0;
  let scheduled = false;
  const waiting: (() => void)[] = [];

  const nextTurn = () => {
    scheduled = false;
    started = 0;
    while (started < perTurn && waiting.length) {
      started++;
      waiting.shift()!();
    }
    if (waiting.length || started) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(nextTurn);
  };

  /** Resolves when the request may start: at once (undefined) when this turn has budget left. */
  return (): Promise<void> | undefined => {
    schedule();
    if (started < perTurn && waiting.length === 0) {
      started++;
      return undefined;
    }
    return new Promise<void>((done) => waiting.push(done));
  };
}
