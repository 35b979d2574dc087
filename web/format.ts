import { formatNok as formatKroner } from '../schemas/format-nok.ts';
import { formatDate as formatIsoDate, formatDateTime as formatInstant } from '../schemas/rules/format.ts';

/**
 * How values look to a caseworker (Bokmål; dd.mm.yyyy, times in Europe/Oslo, `kr 156 500`, `6,7 %`), with the same
 * formatting as the letters and findings (`schemas/`). Names from the scheme data are in `present.ts`.
 */

const timeZone = 'Europe/Oslo';

export const formatNok = (amount: number | undefined) => (amount === undefined ? '' : formatKroner(amount));

const asDate = (value: string | Date) => (typeof value === 'string' ? new Date(value) : value);

/** An instant as `01.12.2026 kl. 17:53` (Oslo time). */
export const formatDateTime = (value: string | Date | undefined) => {
  if (value === undefined) return '';
  const date = asDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : formatInstant(date, timeZone);
};

/** A calendar date (`2017-04-15`) or an instant as its Oslo date: `15.04.2017`. */
export const formatDate = (value: string | Date | undefined) => {
  if (value === undefined) return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatIsoDate(value);
  return formatDateTime(value).replace(/ kl\. .*$/, '');
};

const oneDecimal = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });
/** A share of a whole as `6,7 %` (`–` when there is no whole). */
export const formatShare = (part: number, whole: number) =>
  whole ? `${oneDecimal.format((part / whole) * 100).replace(/\u2212/, '-')} %` : '–';

/** A waiting time: «3 t», «12 d». */
export function formatDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return `${Math.max(0, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return `${hours} t`;
  return `${Math.floor(hours / 24)} d`;
}

export const statusLabels: Record<string, string> = {
  received: 'Mottatt',
  reading: 'Leses',
  triage: 'Til sortering',
  'needs-correction': 'Må rettes',
  'ready-for-assessment': 'Klar til vurdering',
  quarantined: 'Kunne ikke leses',
  vanished: 'Borte fra innboksen',
  expanded: 'E-post pakket ut',
  'under-assessment': 'Under behandling',
  'awaiting-information': 'Venter på søker',
  proposed: 'Til godkjenning',
  approved: 'Innvilget',
  rejected: 'Avslått',
};
export const statusLabel = (status: string | undefined) => (status ? (statusLabels[status] ?? status) : '');

/** A decision's kind as the caseworker proposes it (SPEC §6). */
export const decisionKindLabels: Record<string, string> = {
  'approved-in-full': 'Innvilgelse',
  'approved-in-part': 'Delvis innvilgelse',
  rejected: 'Avslag',
  dismissed: 'Avvisning',
};

/** A decision's kind once it is made. */
export const decidedKindLabels: Record<string, string> = {
  'approved-in-full': 'Innvilget i sin helhet',
  'approved-in-part': 'Delvis innvilget',
  rejected: 'Avslått',
  dismissed: 'Avvist',
};

export const closedStatuses = new Set(['approved', 'rejected', 'quarantined', 'vanished', 'expanded']);

export const methodLabels: Record<string, string> = {
  form: 'skjema',
  'ocr+form': 'skannet skjema (OCR)',
  llm: 'språkmodell',
  'ocr+llm': 'skannet, språkmodell',
  correction: 'rettet av saksbehandler',
};

export const severityLabels: Record<string, string> = { error: 'Feil', warning: 'Advarsel', info: 'Merknad' };

/** A field's value as text (lists one per line, booleans ja/nei). */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nei';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return String(value);
}
