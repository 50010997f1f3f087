/**
 * Local calendar facts in an IANA time zone, with Intl. The rollups count calls per 15-minute UTC bucket; the
 * zone's offsets over a window are given to the database as shifts in buckets (zoneShifts), which groups the
 * buckets into local hours. A bucket never straddles a local hour boundary because every zone's offset is a whole
 * number of quarter hours, so the result is exact on SQLite (which knows no time zones) and PostgreSQL alike.
 */

import { bucketMs, type ZoneShift } from '@mlapi/db';

const dayMs = 86_400_000;

export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** 0–23. */
  hour: number;
  /** ISO weekday index: 0 = Monday … 6 = Sunday. */
  weekday: number;
}

const weekdays: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export function localTimeIn(timeZone: string): (ms: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  });
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      hour: Number(parts.hour),
      weekday: weekdays[parts.weekday!] ?? 0,
    };
  };
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetMinutes(timeZone: string, ms: number): number {
  return offsetIn(timeZone)(ms);
}

function offsetIn(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  return (ms) => {
    const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  };
}

/** How often the offset is sampled for changes: no zone changes its offset twice within 12 hours. */
const sampleBuckets = (12 * 3_600_000) / bucketMs;

/**
 * The zone's offset over the buckets [first, end) as shifts in buckets, in order, the first one at `first`: a
 * change (daylight saving time, a new law) is found by sampling every 12 hours, then pinned to its bucket by
 * bisection. A few dozen Intl calls for a month, instead of one per bucket.
 */
export function zoneShifts(timeZone: string, first: number, end: number): ZoneShift[] {
  const offset = offsetIn(timeZone);
  const shiftAt = (bucket: number) => Math.round((offset(bucket * bucketMs) * 60_000) / bucketMs);
  const shifts: ZoneShift[] = [{ from: first, buckets: shiftAt(first) }];
  for (let at = first; at < end - 1;) {
    const next = Math.min(end - 1, at + sampleBuckets);
    const current = shifts.at(-1)!.buckets;
    if (shiftAt(next) === current) {
      at = next;
      continue;
    }
    // The first bucket in (at, next] with another offset.
    let lo = at;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (shiftAt(mid) === current) lo = mid;
      else hi = mid;
    }
    shifts.push({ from: hi, buckets: shiftAt(hi) });
    at = hi;
  }
  return shifts;
}

/** A local hour's number (hours since 1970-01-01T00:00 on the zone's wall clock) as its calendar facts. */
export function localHourFacts(hour: number): LocalTime {
  const day = Math.floor(hour / 24);
  return {
    date: new Date(day * dayMs).toISOString().slice(0, 10),
    hour: hour - day * 24,
    // 1970-01-01 was a Thursday: ISO weekday 3 counted from Monday.
    weekday: (((day + 3) % 7) + 7) % 7,
  };
}

/** Every local date from the one holding `fromMs` to the one holding the last instant before `toMs`, in order. */
export function localDates(timeZone: string, fromMs: number, toMs: number): string[] {
  const local = localTimeIn(timeZone);
  const first = local(fromMs).date;
  const last = local(Math.max(fromMs, toMs - 1)).date;
  const dates: string[] = [];
  for (let d = Date.parse(`${first}T00:00:00Z`); ; d += dayMs) {
    const date = new Date(d).toISOString().slice(0, 10);
    dates.push(date);
    if (date >= last) break;
  }
  return dates;
}
