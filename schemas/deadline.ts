import type { Scheme } from './scheme.ts';

export type Deadline = Scheme['deadline'];

/** The zone a day is counted in when no scheme gives one: the schemes are Norwegian. */
export const defaultTimeZone = 'Europe/Oslo';

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building a DateTimeFormat is costly and the zones are few: one per zone, for the life of the module.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // h23: some ICU versions print midnight as 24 with hour12: false.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(instant: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The wall clock's reading as if it were UTC: subtracting the instant gives the zone's offset. */
function asUtc({ year, month, day, hour, minute, second }: WallClock): number {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Minutes the zone is ahead of UTC at `instant` (Europe/Oslo: 60 in winter, 120 in summer). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return (asUtc(wallClockAt(wholeSeconds, timeZone)) - wholeSeconds) / 60_000;
}

/** The calendar date (YYYY-MM-DD) and time (HH:MM) that a clock in `timeZone` shows at `instant`. */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const { year, month, day, hour, minute } = wallClockAt(instant.getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${year}-${two(month)}-${two(day)}`, time: `${two(hour)}:${two(minute)}` };
}

/**
 * The first instant of a calendar day in `timeZone`. The offset at local midnight may differ from the offset
 * at the UTC instant first guessed (a DST change between them), so both offsets are tried; where midnight falls in
 * a DST gap (clocks jump from 00:00 to 01:00), the day begins when the gap ends.
 */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const midnight = Date.UTC(year, month - 1, day);
  const offsetAt = (instant: number) => zoneOffsetMinutes(new Date(instant), timeZone) * 60_000;
  const candidates = [...new Set([midnight - offsetAt(midnight), midnight - offsetAt(midnight - offsetAt(midnight))])];
  const exact = candidates.filter((instant) => instant + offsetAt(instant) === midnight);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** The day after a calendar date (YYYY-MM-DD). */
function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/**
 * The deadline instant: the end of the deadline day in the scheme's zone, given as the first instant after it
 * (midnight that begins the next day), so that a document received before it is in time.
 */
export function deadlineInstant(deadline: Deadline): Date {
  return startOfDay(nextDay(deadline.date), deadline.timeZone);
}

/** Whether something received at `receivedAt` (an ISO 8601 instant) came after the deadline day had ended. */
export function isAfterDeadline(receivedAt: string | Date, deadline: Deadline): boolean {
  return new Date(receivedAt).getTime() >= deadlineInstant(deadline).getTime();
}
