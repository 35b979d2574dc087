import { localDateTime } from '../deadline.ts';

/** A calendar date (YYYY-MM-DD) as Norwegians write it: `15.04.2017`. Anything else is shown as it is. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

/** An instant as a clock in `timeZone` shows it: `16.04.2017 kl. 00:12`. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const { date, time } = localDateTime(instant, timeZone);
  return `${formatDate(date)} kl. ${time}`;
}

/** A share as a Norwegian percentage: `45 %`. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
