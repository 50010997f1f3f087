import type { LeaseGrant, QuotaLeasesRepository } from '@mlapi/db';
import { leasePolicy, leaseRequest, nextLeaseSize } from './lease-size.ts';

/** One quota window a call is counted in: a user's calls to a service in one UTC minute or day. */
export interface QuotaWindow {
  /** The window's row in the database (user, service, kind and index of the window). */
  key: string;
  /** Calls allowed in the window (> 0). */
  limit: number;
  /** Epoch ms when the window ends. */
  end: number;
}

/** The units this process holds of one window, reserved in the database and not yet spent. */
interface Lease {
  readonly key: string;
  /** The limit it was reserved under: a lease of another limit is given back, never spent. */
  readonly limit: number;
  readonly end: number;
  units: number;
  /** The size of the last reservation (its request before the share cap). */
  size: number;
  /** What the window had left after the last reservation; unknown before the first. */
  remaining: number | undefined;
  /** Monotonic ms of the last reservation's answer, and of the last use (spend or reservation). */
  grantedAt: number | undefined;
  usedAt: number;
  /** The window had nothing left: calls are refused without asking again until then (monotonic ms). */
  refusedUntil: number;
  /** The reservation in flight: concurrent calls short of this window wait for it instead of asking again. */
  pending: Promise<void> | undefined;
}

const giveBackChunk = 100;

const pendingOf = (leases: readonly Lease[]) => leases.flatMap((l) => (l.pending ? [l.pending] : []));

/**
 * The per-process lease table of quota windows. A call spends one unit of each of its windows from memory; a call
 * short of a unit asks the database for a lease — every short window in one statement, and one reservation in flight
 * per window however many calls wait for it — and the database grants min(request, limit − reserved). The units
 * reserved in a window never exceed its limit across any number of replicas, and a unit is spent once, so no more
 * calls are admitted than the limit. Unspent units are given back after `leasePolicy.idleMs` without use, when the
 * user's limit changes, and at close; a replica that crashes keeps its outstanding leases out of that window only.
 *
 * False 429s (a call refused while units of its window are unspent elsewhere): a replica reserves only when it holds
 * none, so what another replica holds is at most its last grant (lease-size.ts bounds it: ≤ 128 and ≤ a quarter of
 * what the window had left at its reservation before). Those units are spent there, or given back 1–1.5 s after its
 * last call; a refused replica asks again after `leasePolicy.recheckMs`.
 */
export class QuotaLeases {
  private readonly leases = new Map<string, Lease>();
  /** Give-backs in flight by window: a new reservation of that window waits for them (else it may get too little). */
  private readonly givingBack = new Map<string, Promise<void>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly repository: QuotaLeasesRepository,
    /** The clock of the windows (the app's injectable clock), epoch ms. */
    private readonly now: () => number,
    private readonly warn: (err: unknown, message: string) => void,
  ) {
    this.sweeper = setInterval(() => this.giveBackIdle(), leasePolicy.idleMs / 2).unref();
  }

  /** Spends one unit of every window, or spends none and returns the first window that has nothing left. */
  async charge(windows: readonly QuotaWindow[]): Promise<QuotaWindow | undefined> {
    for (;;) {
      // Looked up again after every wait: a lease may have been given back or replaced meanwhile.
      const leases = windows.map((w) => this.lease(w));
      const short = leases.filter((l) => l.units === 0);
      if (short.length === 0) {
        const at = performance.now();
        for (const lease of leases) {
          lease.units -= 1;
          lease.usedAt = at;
        }
        return undefined;
      }
      const refused = short.findIndex((l) => l.refusedUntil > performance.now());
      if (refused >= 0) return windows[leases.indexOf(short[refused]!)];
      const idle = short.filter((l) => !l.pending);
      if (idle.length > 0) this.reserve(idle);
      await Promise.all(pendingOf(short));
    }
  }

  /** Gives every unspent unit back (at shutdown, before the database closes). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled(pendingOf([...this.leases.values()]));
    this.giveBack([...this.leases.values()]);
    this.leases.clear();
    await Promise.allSettled([...this.givingBack.values()]);
  }

  private lease(window: QuotaWindow): Lease {
    const held = this.leases.get(window.key);
    if (held && held.limit === window.limit) return held;
    // A new limit (an admin's change): what was reserved under the old one goes back rather than being spent.
    if (held) this.drop(held);
    const lease: Lease = {
      key: window.key,
      limit: window.limit,
      end: window.end,
      units: 0,
      size: 1,
      remaining: undefined,
      grantedAt: undefined,
      usedAt: performance.now(),
      refusedUntil: 0,
      pending: undefined,
    };
    this.leases.set(window.key, lease);
    return lease;
  }

  private reserve(leases: Lease[]): void {
    const asked = performance.now();
    const requests = leases.map((l) => {
      l.size = nextLeaseSize(l.size, l.grantedAt === undefined ? undefined : asked - l.grantedAt);
      return { key: l.key, want: leaseRequest(l.size, l.remaining), limit: l.limit, expire: l.end };
    });
    const settle = () => {
      for (const l of leases) l.pending = undefined;
    };
    const returning = leases.map((l) => this.givingBack.get(l.key)).filter((p) => p !== undefined);
    const reserved =
      returning.length > 0
        ? Promise.all(returning).then(() => this.repository.reserve(requests))
        : this.repository.reserve(requests);
    const pending = reserved.then(
      (grants) => {
        settle();
        grants.forEach((grant, i) => this.granted(leases[i]!, grant));
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
    // The calls waiting get the error (a database outage → 503); nothing else must see it unhandled.
    pending.catch(() => undefined);
    for (const l of leases) l.pending = pending;
  }

  private granted(lease: Lease, grant: LeaseGrant): void {
    const at = performance.now();
    if (this.leases.get(lease.key) !== lease) {
      // Dropped while the reservation was in flight: its units go straight back.
      this.giveBack([{ key: lease.key, units: grant.granted }]);
      return;
    }
    lease.units += grant.granted;
    lease.remaining = Math.max(0, lease.limit - grant.reserved);
    lease.grantedAt = at;
    lease.usedAt = at;
    if (grant.granted === 0) lease.refusedUntil = at + leasePolicy.recheckMs;
  }

  /** Forgets a lease and gives its units back. */
  private drop(lease: Lease): void {
    this.leases.delete(lease.key);
    this.giveBack([{ key: lease.key, units: lease.units }]);
    lease.units = 0;
  }

  /** Leases unused for `idleMs` go back to their windows; those of windows that have ended are only forgotten. */
  private giveBackIdle(): void {
    const at = performance.now();
    const now = this.now();
    const idle: Lease[] = [];
    for (const lease of this.leases.values()) {
      if (lease.pending) continue;
      if (lease.end <= now) this.leases.delete(lease.key);
      else if (at - lease.usedAt >= leasePolicy.idleMs) {
        this.leases.delete(lease.key);
        idle.push(lease);
      }
    }
    this.giveBack(idle);
  }

  private giveBack(leases: readonly { key: string; units: number }[]): void {
    const some = leases.filter((l) => l.units > 0).map(({ key, units }) => ({ key, units }));
    for (let i = 0; i < some.length; i += giveBackChunk) {
      const chunk = some.slice(i, i + giveBackChunk);
      const done = this.repository
        .giveBack(chunk)
        .catch((err: unknown) =>
          this.warn(err, 'quota lease give-back failed: its units stay reserved until the window ends'),
        )
        .finally(() => {
          for (const { key } of chunk) if (this.givingBack.get(key) === done) this.givingBack.delete(key);
        });
      for (const { key } of chunk) this.givingBack.set(key, done);
    }
  }
}
