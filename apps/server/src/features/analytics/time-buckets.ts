/**
 * Local calendar facts of UTC instants in an IANA time zone, with Intl. The rollups count calls per 15-minute UTC
 * bucket; each bucket's start is placed in the zone here. A bucket never straddles a local hour boundary because
 * every zone's offset is a whole number of quarter hours, so the result is exact on SQLite (which knows no time
 * zones) and PostgreSQL alike.
 */

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
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
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
