import { addDays, deadlineInstant, localDateTime, startOfDay } from './deadline.ts';
import { acceptDeadline } from './decision-letter.ts';
import type { Scheme } from './scheme.ts';

/**
 * The dates a decided case waits for, from the scheme's data (`decisions`): the deadline to accept and its reminder,
 * the report's reminders before and after its deadline, and the appeal period. Each is an instant (ISO 8601, UTC) the
 * case workflow sleeps until; a deadline day ends at midnight in the scheme's zone, so a document received on the
 * last day is in time.
 */

export interface AcceptanceTimes {
  /** The day the letter gives (YYYY-MM-DD). */
  deadlineDay: string;
  /** The first instant after the deadline day. */
  deadline: string;
  /** When the applicant is reminded if no acceptance has come. */
  reminder: string;
  /** When the case goes to the caseworker if none has come after the reminder either. */
  escalation: string;
}

export interface ReportTimes {
  deadlineDay: string;
  deadline: string;
  /** The reminder before the deadline. */
  reminderBefore: string;
  /** The reminder after the deadline, when no report has come; after it the report is overdue in the queue. */
  reminderAfter: string;
}

export interface AppealPeriod {
  /** The day the applicant is taken to have received the letter. */
  receivedDay: string;
  /** The last day to appeal, moved past weekends and public holidays (forvaltningsloven §30). */
  lastDay: string;
  /** The first instant after the last day. */
  deadline: string;
}

const timeZoneOf = (scheme: Scheme) => scheme.deadline.timeZone;
export const endOf = (scheme: Scheme, day: string) =>
  deadlineInstant({ date: day, timeZone: timeZoneOf(scheme) }).toISOString();
const startOf = (scheme: Scheme, day: string) => startOfDay(day, timeZoneOf(scheme)).toISOString();

/** The acceptance deadline of a letter dated `letterDate`, its reminder and the escalation after it. */
export function acceptanceTimes(scheme: Scheme, letterDate: string): AcceptanceTimes {
  const deadlineDay = acceptDeadline(scheme, letterDate);
  const { acceptanceAfterDays, acceptanceEscalateAfterDays } = scheme.decisions.reminders;
  const reminderDay = addDays(deadlineDay, acceptanceAfterDays);
  return {
    deadlineDay,
    deadline: endOf(scheme, deadlineDay),
    reminder: startOf(scheme, reminderDay),
    escalation: startOf(scheme, addDays(reminderDay, acceptanceEscalateAfterDays)),
  };
}

/** The scheme's reporting deadline and its reminders, or those of a later deadline (a report asked to be completed). */
export function reportTimes(scheme: Scheme, deadlineDay = scheme.decisions.reportingDeadline): ReportTimes {
  const { reportBeforeDays, reportAfterDays } = scheme.decisions.reminders;
  return {
    deadlineDay,
    deadline: endOf(scheme, deadlineDay),
    reminderBefore: startOf(scheme, addDays(deadlineDay, -reportBeforeDays)),
    reminderAfter: startOf(scheme, addDays(deadlineDay, reportAfterDays)),
  };
}

/**
 * The appeal period of a letter sent at `sentAt`: it runs from the day the applicant received the letter (the day it
 * was sent, plus the scheme's postal allowance) for the scheme's days (three weeks); a last day that falls on a
 * Saturday, Sunday or public holiday moves to the next working day (forvaltningsloven §30).
 */
export function appealPeriod(scheme: Scheme, sentAt: string): AppealPeriod {
  const sentDay = localDateTime(new Date(sentAt), timeZoneOf(scheme)).date;
  const receivedDay = addDays(sentDay, scheme.decisions.letterReceivedAfterDays);
  let lastDay = addDays(receivedDay, scheme.decisions.appealWithinDays);
  while (!isWorkingDay(lastDay)) lastDay = addDays(lastDay, 1);
  return { receivedDay, lastDay, deadline: endOf(scheme, lastDay) };
}

/** Whether an appeal received at `receivedAt` came within the appeal period of a letter sent at `sentAt`. */
export function isAppealOnTime(scheme: Scheme, sentAt: string, receivedAt: string): boolean {
  return new Date(receivedAt).getTime() < new Date(appealPeriod(scheme, sentAt).deadline).getTime();
}

/** Monday to Friday and not a Norwegian public holiday (helligdag or 1 and 17 May). */
export function isWorkingDay(isoDay: string): boolean {
  const weekday = new Date(`${isoDay}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(Number(isoDay.slice(0, 4))).has(isoDay);
}

/** Norway's public holidays in a year: the fixed ones and those that follow Easter. */
function publicHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  return new Set([
    `${year}-01-01`,
    `${year}-05-01`,
    `${year}-05-17`,
    `${year}-12-25`,
    `${year}-12-26`,
    // Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday.
    ...[-3, -2, 0, 1, 39, 49, 50].map((days) => addDays(easter, days)),
  ]);
}

/** Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
