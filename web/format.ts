import type { FieldPath } from '../schemas/application.ts';
import { formatNok as formatKroner } from '../schemas/format-nok.ts';
import { fieldLabels } from '../schemas/rules/fields.ts';

/** How values look to a caseworker (Bokmål, Norwegian number and date formats). */

const nok = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
/** Money as the refusals and findings write it (`schemas/format-nok.ts`); nothing for an amount not given. */
export const formatNok = (amount: number | undefined) => (amount === undefined ? '' : formatKroner(amount));
export const formatNumber = (value: number) => nok.format(value);

const dateTime = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'short', timeStyle: 'short' });
export const formatDateTime = (value: string | Date | undefined) => {
  if (value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
};

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

export const closedStatuses = new Set(['approved', 'rejected', 'quarantined', 'vanished', 'expanded']);

export const fieldLabel = (field: string | undefined) =>
  field === undefined ? '' : Object.hasOwn(fieldLabels, field) ? fieldLabels[field as FieldPath] : field;

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
  if (typeof value === 'number') return String(value);
  return String(value);
}
