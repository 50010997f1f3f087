import { describe, expect, it } from 'vitest';
import {
  bucketSizeFor,
  hourMs,
  localDates,
  localTimeIn,
  offsetMinutes,
  quarterHourMs,
} from '../src/features/analytics/time-buckets.ts';
import { nearestRank } from '../src/features/analytics/usage-analytics.ts';

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

  it('uses whole hours unless the zone has a sub-hour offset somewhere in the window', () => {
    expect(bucketSizeFor('UTC', at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))).toBe(hourMs);
    expect(bucketSizeFor('Europe/Paris', at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'))).toBe(hourMs);
    expect(bucketSizeFor('Asia/Kolkata', at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'))).toBe(quarterHourMs);
    expect(bucketSizeFor('Asia/Kathmandu', at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'))).toBe(quarterHourMs);
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
});

describe('nearest-rank percentiles', () => {
  it('take the value at rank ⌈p/100 · n⌉ (1-based)', () => {
    expect(nearestRank(50, 6)).toBe(3);
    expect(nearestRank(95, 6)).toBe(6);
    expect(nearestRank(99, 100)).toBe(99);
    expect(nearestRank(50, 1)).toBe(1);
    expect(nearestRank(1, 10)).toBe(1);
  });
});
