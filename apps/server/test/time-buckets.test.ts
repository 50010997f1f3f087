import { describe, expect, it } from 'vitest';
import { bucketMs } from '@mlapi/db';
import {
  localDates,
  localHourFacts,
  localTimeIn,
  offsetMinutes,
  zoneShifts,
} from '../src/features/analytics/time-buckets.ts';

const at = (iso: string) => Date.parse(iso);

describe('time buckets in a time zone', () => {
  it('places an instant on its local date, hour and ISO weekday (Monday = 0)', () => {
    expect(localTimeIn('UTC')(at('2026-03-01T23:30:00Z'))).toEqual({ date: '2026-03-01', hour: 23, weekday: 6 });
    expect(localTimeIn('Europe/Paris')(at('2026-03-01T23:30:00Z'))).toEqual({
      date: '2026-03-02',
      hour: 0,
      weekday: 0,
    });
    expect(localTimeIn('America/New_York')(at('2026-03-02T03:00:00Z'))).toEqual({
      date: '2026-03-01',
      hour: 22,
      weekday: 6,
    });
  });

  it('follows daylight saving time: Paris is UTC+1 before 29 March 2026 and UTC+2 after', () => {
    expect(offsetMinutes('Europe/Paris', at('2026-03-29T00:30:00Z'))).toBe(60);
    expect(offsetMinutes('Europe/Paris', at('2026-03-29T01:30:00Z'))).toBe(120);
    expect(localTimeIn('Europe/Paris')(at('2026-03-29T01:30:00Z')).hour).toBe(3);
  });

  it("puts every zone's offset on a whole number of 15-minute buckets, so a bucket never straddles a local hour", () => {
    const instants = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'].map(at);
    const odd = Intl.supportedValuesOf('timeZone').flatMap((zone) =>
      instants.filter((ms) => (offsetMinutes(zone, ms) * 60_000) % bucketMs !== 0).map(() => zone),
    );
    expect(Intl.supportedValuesOf('timeZone').length).toBeGreaterThan(300);
    expect(odd).toEqual([]);
    expect(offsetMinutes('Asia/Kathmandu', instants[0]!)).toBe(345);
  });

  it('lists every local date of a window, the last one being that of the instant before `to`', () => {
    expect(localDates('UTC', at('2026-03-02T00:00:00Z'), at('2026-03-05T00:00:00Z'))).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
    expect(localDates('Europe/Paris', at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))).toEqual([
      '2026-03-02',
      '2026-03-03',
    ]);
    expect(localDates('UTC', at('2026-12-31T12:00:00Z'), at('2027-01-01T12:00:00Z'))).toEqual([
      '2026-12-31',
      '2027-01-01',
    ]);
  });

  it("finds a window's offset changes, to the bucket, as shifts in buckets", () => {
    const bucket = (iso: string) => at(iso) / bucketMs;
    const [first, end] = [bucket('2026-03-20T00:00:00Z'), bucket('2026-04-05T00:00:00Z')];
    expect(zoneShifts('UTC', first, end)).toEqual([{ from: first, buckets: 0 }]);
    expect(zoneShifts('Asia/Kolkata', first, end)).toEqual([{ from: first, buckets: 22 }]);
    // Paris moves from +1 h to +2 h at 01:00 UTC on 29 March 2026; New York from −5 h to −4 h on 8 March.
    expect(zoneShifts('Europe/Paris', first, end)).toEqual([
      { from: first, buckets: 4 },
      { from: bucket('2026-03-29T01:00:00Z'), buckets: 8 },
    ]);
    expect(zoneShifts('America/New_York', bucket('2026-03-01T00:00:00Z'), end)).toEqual([
      { from: bucket('2026-03-01T00:00:00Z'), buckets: -20 },
      { from: bucket('2026-03-08T07:00:00Z'), buckets: -16 },
    ]);
  });

  it('places every bucket in the same local hour through its shift as Intl does, across changes of offset', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC']) {
      const [first, end] = [at('2026-03-01T00:00:00Z') / bucketMs, at('2026-04-10T00:00:00Z') / bucketMs];
      const shifts = zoneShifts(zone, first, end);
      const local = localTimeIn(zone);
      const wrong: string[] = [];
      for (let b = first; b < end; b++) {
        const shift = shifts.findLast((s) => s.from <= b)!.buckets;
        const got = localHourFacts(Math.floor((b + shift) / 4));
        const want = local(b * bucketMs);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${zone} ${new Date(b * bucketMs).toISOString()}`);
      }
      expect(wrong).toEqual([]);
    }
  });
});
