import type { FieldPath } from '../schemas/application.ts';
import { fieldLabels } from '../schemas/rules/fields.ts';
import { TRIAGE_QUEUE } from '../schemas/route.ts';
import { journalKindNames, type JournalDocumentKind } from '../schemas/journal.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { decisionKindLabels, formatDate, formatNok, statusLabel, valueText } from './format.ts';

/**
 * The names people read instead of ids, all from the scheme data (queues, schemes, earmarks, categories, the fields a
 * scheme asks) plus this one dictionary for what no scheme names. Every page and export goes through here, so no raw
 * id reaches a caseworker.
 */

const dictionary = {
  [TRIAGE_QUEUE]: 'Sortering',
  noQueue: 'Uten kø',
  noScheme: 'Uten ordning',
  inn: 'Inn',
  ut: 'Ut',
} as const;

const dateFields = new Set<string>(['project.startDate', 'project.endDate', 'signature.date']);
const amountFields = new Set<string>([
  'budget.totalCost',
  'budget.ownFunding',
  'budget.otherFunding',
  'budget.amountRequested',
]);

/** Findings about the installation, not the application (a missing language model): for admins only. */
const technicalFindings = new Set(['llm-not-configured', 'llm-unavailable', 'llm-answer-unusable']);
export const isTechnicalFinding = (code: string) => technicalFindings.has(code);

export interface Presenter {
  queue(queue: string | undefined): string;
  scheme(schemeId: string | undefined): string;
  category(schemeId: string | undefined, categoryId: string | undefined): string;
  earmark(schemeId: string | undefined, earmarkId: string | undefined): string;
  /** A case's status; one still open with errors says what it needs instead of «Under behandling». */
  status(status: string | undefined, errors?: number): string;
  /** The fields the case's scheme asks (every field when the scheme is not known yet). */
  fields(schemeId: string | undefined): FieldPath[];
  /** A field's value as the caseworker reads it: dates dd.mm.yyyy, amounts in kroner, names for categories. */
  value(field: string, value: unknown, schemeId: string | undefined): string;
  /** A proposed decision's kind (`rejected` → «Avslag»). */
  decisionKind(kind: string | undefined): string;
  /** A field path named by its label (`project.category` → «Kategori»). */
  field(field: string | undefined): string;
  /** A message (a workflow's refusal) with the field paths in it named by their labels. */
  message(text: string): string;
  /** A journal entry's kind of document (`report` → «Rapport»). */
  journalKind(kind: JournalDocumentKind): string;
  /** A journal entry's direction: received or sent. */
  journalDirection(direction: 'inn' | 'ut'): string;
}

const fieldPaths = Object.keys(fieldLabels).sort((a, b) => b.length - a.length);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fieldPathPattern = new RegExp(`(?<![\\w.])(${fieldPaths.map(escapeRegExp).join('|')})(?![\\w.])`, 'g');

export function presenter(schemes: readonly Scheme[]): Presenter {
  const schemeOf = (id: string | undefined) => schemes.find((s) => s.id === id);
  const categoryName = (scheme: Scheme | undefined, id: string) =>
    scheme?.categories.find((c) => c.id === id)?.labels[0] ?? id;
  const authorityQueue = (queue: string) => schemes.find((s) => s.queue === queue);

  const present: Presenter = {
    queue(queue) {
      if (!queue) return dictionary.noQueue;
      if (queue === TRIAGE_QUEUE) return dictionary[TRIAGE_QUEUE];
      const [base, earmarkId] = queue.split('/') as [string, string | undefined];
      const scheme = authorityQueue(base);
      if (!scheme) return queue;
      const name = scheme.queueName ?? scheme.authority;
      if (!earmarkId) return name;
      const earmark = schemes
        .flatMap((s) => (s.queue === base ? s.money.earmarks : []))
        .find((e) => e.id === earmarkId);
      return `${name} (${earmark?.name.toLowerCase() ?? earmarkId})`;
    },
    scheme: (schemeId) => (schemeId ? (schemeOf(schemeId)?.name ?? schemeId) : dictionary.noScheme),
    category: (schemeId, categoryId) => (categoryId ? categoryName(schemeOf(schemeId), categoryId) : ''),
    earmark: (schemeId, earmarkId) =>
      earmarkId ? (schemeOf(schemeId)?.money.earmarks.find((e) => e.id === earmarkId)?.name ?? earmarkId) : '',
    status: (status, errors = 0) =>
      errors > 0 && (status === 'under-assessment' || status === 'ready-for-assessment')
        ? `Må rettes før vedtak (${errors} feil)`
        : statusLabel(status),
    fields(schemeId) {
      const scheme = schemeOf(schemeId);
      return (Object.keys(fieldLabels) as FieldPath[]).filter(
        (field) =>
          !scheme ||
          ((field !== 'hasOverarchingPlan' || scheme.asksOverarchingPlan) &&
            (field !== 'subGoals' || scheme.subGoals.length > 0)),
      );
    },
    value(field, value, schemeId) {
      if (value === undefined || value === null) return '';
      if (field === 'schemeId' && typeof value === 'string') return present.scheme(value);
      if (field === 'project.category' && typeof value === 'string') return categoryName(schemeOf(schemeId), value);
      if (dateFields.has(field) && typeof value === 'string') return formatDate(value);
      if (amountFields.has(field) && typeof value === 'number') return formatNok(value);
      return valueText(value);
    },
    decisionKind: (kind) => (kind ? (decisionKindLabels[kind] ?? kind) : ''),
    field: (field) =>
      field === undefined ? '' : Object.hasOwn(fieldLabels, field) ? fieldLabels[field as FieldPath] : field,
    message: (text) => text.replace(fieldPathPattern, (path) => `«${fieldLabels[path as FieldPath]}»`),
    journalKind: (kind) => journalKindNames[kind],
    journalDirection: (direction) => dictionary[direction],
  };
  return present;
}
