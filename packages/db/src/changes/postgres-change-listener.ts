import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ChangeListeners, type AuthChange, type Change, type ChangeFeed } from './change-feed.ts';

/** The channel the users and api_keys triggers notify on (migration Migration20261206064000). */
const authChannel = 'mlapi_auth';
/** The channel the model_deployments trigger notifies on, with the service (migration Migration20261206211500). */
const modelChannel = 'mlapi_models';

export interface PostgresChangeListenerOptions {
  /** The connection to listen on: a direct one (LISTEN does not pass through a transaction-pooling PgBouncer). */
  url: string;
  /** How often the listener notifies itself. */
  heartbeatMs?: number;
  /** The feed is live only while a heartbeat sent at most this long ago has come back. */
  staleMs?: number;
  /** Told when the listening connection fails or comes back. */
  onConnection?: (state: 'connected' | 'lost', err?: unknown) => void;
}

/** A notification's payload as the triggers write it: `u:<user id>`, `k:<key hash>` or `*`. */
function parseAuthPayload(payload: string | undefined): AuthChange {
  if (payload?.startsWith('u:')) {
    const id = Number(payload.slice(2));
    if (Number.isSafeInteger(id)) return { kind: 'user', id };
  }
  if (payload?.startsWith('k:')) return { kind: 'key', hash: payload.slice(2) };
  return { kind: 'all' };
}

/** A model notification's payload: the service whose live version changed, or `*` (a truncate). */
const parseModelPayload = (payload: string | undefined): Change =>
  payload && payload !== '*' ? { kind: 'model', service: payload } : { kind: 'all' };

/**
 * Other writers' changes to users, API keys and live model versions, from PostgreSQL's LISTEN/NOTIFY on one connection of its own.
 *
 * Why a heartbeat makes a bound: PostgreSQL delivers the notifications of committed transactions to a listener in
 * commit order, whatever their channel. Every `heartbeatMs` the listener notifies itself (on a channel only it
 * listens to) with the time it sent it. When that heartbeat arrives, every change committed before it was sent has
 * arrived too. So while the latest heartbeat back was sent less than `staleMs` ago, a cache fed by this listener
 * misses no change older than `staleMs`; when heartbeats are late (a stalled or cut connection) the feed is not
 * live and a cache must read through. On reconnection the subscribers are told `{ kind: 'all' }` (what was missed
 * in between is unknown) and the feed is live again once a heartbeat has come back over the new connection.
 */
export class PostgresChangeListener implements ChangeFeed {
  private readonly listeners = new ChangeListeners();
  private readonly heartbeatChannel = `mlapi_beat_${randomBytes(6).toString('hex')}`;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private client: pg.Client | null = null;
  /** `performance.now()` when the latest heartbeat that came back was sent; -Infinity before the first. */
  private lastBeatSent = -Infinity;
  private beatInFlight = false;
  private timer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 50;
  private closed = false;
  private wasLive = false;
  private gaps = 0;
  /** `performance.now()` when the current connection was made. */
  private connectedAt = 0;

  constructor(private readonly options: PostgresChangeListenerOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 25;
    this.staleMs = options.staleMs ?? 80;
  }

  live(): boolean {
    const live = this.client !== null && performance.now() - this.lastBeatSent <= this.staleMs;
    if (live !== this.wasLive) {
      this.wasLive = live;
      // Back from a gap: whatever changed meanwhile may not have been seen.
      if (live) this.listeners.emit({ kind: 'all' });
      else this.gaps++;
    }
    return live;
  }

  /** How many times the feed stopped being live (a late heartbeat or a lost connection). */
  get gapCount(): number {
    return this.gaps;
  }

  subscribe(listener: (change: Change) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  committed(change: Change): void {
    this.listeners.emit(change);
  }

  /**
   * Connects and waits (up to a few seconds) for the first heartbeat. A database that cannot be reached is no
   * failure here: the feed stays not live (a cache reads through) and keeps trying to connect.
   */
  async start(): Promise<void> {
    this.timer = setInterval(() => this.tick(), this.heartbeatMs).unref();
    try {
      await this.connect();
    } catch (err) {
      this.options.onConnection?.('lost', err);
      this.scheduleReconnect();
      return;
    }
    const deadline = performance.now() + 5000;
    while (!this.live() && performance.now() < deadline) await new Promise((done) => setTimeout(done, 5));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
    client.on('notification', (message) => this.onNotification(message));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${authChannel}; listen ${modelChannel}; listen ${this.heartbeatChannel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.connectedAt = performance.now();
    this.reconnectDelayMs = 50;
    this.options.onConnection?.('connected');
    this.beat();
  }

  private onNotification({ channel, payload }: pg.Notification): void {
    if (channel === this.heartbeatChannel) {
      this.lastBeatSent = Math.max(this.lastBeatSent, Number(payload));
      return;
    }
    this.listeners.emit(channel === modelChannel ? parseModelPayload(payload) : parseAuthPayload(payload));
  }

  private tick(): void {
    if (this.closed) return;
    // A connection that stopped answering without closing: give up on it and reconnect.
    const lastSign = Math.max(this.lastBeatSent, this.connectedAt);
    if (this.client && performance.now() - lastSign > Math.max(2000, 20 * this.heartbeatMs)) {
      const stuck = this.client;
      this.lost(stuck, new Error('no heartbeat back on the listening connection'));
      stuck.end().catch(() => undefined);
      return;
    }
    this.beat();
    // Tells the subscribers of a gap's end (`all`) even when no request asks whether the feed is live.
    this.live();
  }

  /** One heartbeat at a time: a slow connection makes them late, not queued. */
  private beat(): void {
    const client = this.client;
    if (!client || this.beatInFlight) return;
    this.beatInFlight = true;
    client
      .query('select pg_notify($1, $2)', [this.heartbeatChannel, String(performance.now())])
      .catch(() => undefined)
      .finally(() => (this.beatInFlight = false));
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.lastBeatSent = -Infinity;
    this.beatInFlight = false;
    this.live();
    this.options.onConnection?.('lost', err);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed || this.client) return;
      this.connect().catch(() => {
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 2000);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs).unref();
  }
}
