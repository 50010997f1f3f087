/** A change to what authorization reads: one user's row, one API key's row, or possibly anything (a reset). */
export type AuthChange = { kind: 'user'; id: number } | { kind: 'key'; hash: string } | { kind: 'all' };

/** A change of which model version a service serves (a promote, a rollback, a reload). */
type ModelChange = { kind: 'model'; service: string };

/** Every change the feed carries; `{ kind: 'all' }` (after a gap) may stand for any of them. */
export type Change = AuthChange | ModelChange;

/**
 * How a process learns that users or API keys changed, so a cache of them can stay correct, and that a service's
 * live model version changed, so every replica serves it:
 * - `committed`: a change this process has just committed (told at once, before any notification comes back);
 * - on PostgreSQL, every other writer's change (another replica, psql) arrives through LISTEN/NOTIFY from triggers
 *   on the tables (changes/postgres-change-listener.ts). `live()` says whether that stream is known to be current;
 *   while it is not, a cache must not answer (read through instead).
 * On SQLite one process owns the database: every change is `committed` here and the feed is always live.
 */
export interface ChangeFeed {
  /** True while every change committed by any writer up to `staleMs` ago has been delivered. */
  live(): boolean;
  /** Calls `listener` with every change (and `{ kind: 'all' }` when the stream had a gap); returns an unsubscribe. */
  subscribe(listener: (change: Change) => void): () => void;
  /** A change this process committed. */
  committed(change: Change): void;
  /** Starts listening for other writers' changes (PostgreSQL); a no-op elsewhere. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The subscriber list every feed shares. */
export class ChangeListeners {
  private readonly listeners = new Set<(change: Change) => void>();

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** One process, one database (SQLite): the changes this process commits are all there are. */
export function localChangeFeed(): ChangeFeed {
  const listeners = new ChangeListeners();
  return {
    live: () => true,
    subscribe: (listener) => listeners.subscribe(listener),
    committed: (change) => listeners.emit(change),
    start: async () => undefined,
    close: async () => undefined,
  };
}
