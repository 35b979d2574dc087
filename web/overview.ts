import type { CaseRecord } from '../schemas/case-record.ts';
import { findPot, potForCategory, type PotBalance, type PotDefinition } from '../schemas/ledger.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { countFindings } from '../schemas/validate.ts';
import { TRIAGE_QUEUE } from '../schemas/route.ts';
import { formatDateTime } from './format.ts';
import type { Presenter } from './present.ts';
import { recordReference, recordStatus } from './records.ts';

/**
 * The round per pot: its money live from the pot's ledger (allocation, proposed, granted, paid, claimed back,
 * remaining), and from the records only what they alone know (cases, amounts asked for, statuses, late and overdue
 * cases); per queue; and correction rates.
 */

export interface MoneyRow {
  schemeId: string;
  schemeName: string;
  earmark?: string;
  earmarkName: string;
  /** The queue that assesses this money (the triage queue for cases without a scheme). */
  queue: string;
  /** The pot's balance, from its ledger; absent for cases that draw on no pot (no scheme read, or no category). */
  balance?: PotBalance;
  cases: number;
  requested: number;
  byStatus: Record<string, number>;
  /** Received after the scheme's deadline. */
  late: number;
  /** Past the service time (escalated). */
  overdue: number;
}

export interface CorrectionRow {
  schemeId: string;
  field: string;
  corrected: number;
  cases: number;
}

export interface Overview {
  money: MoneyRow[];
  queues: Array<{ queue: string; byStatus: Record<string, number>; total: number }>;
  corrections: CorrectionRow[];
  statuses: string[];
}

export function earmarkOf(record: CaseRecord, schemes: Scheme[]): { scheme?: Scheme; earmark?: string } {
  const scheme = schemes.find((s) => s.id === record.application?.schemeId);
  const category = scheme?.categories.find((c) => c.id === record.application?.project?.category);
  return { ...(scheme && { scheme }), ...(category?.earmark && { earmark: category.earmark }) };
}

export const receivedLate = (record: CaseRecord) => record.findings.some((f) => f.code === 'received-after-deadline');

/** The queue that assesses a pot's money: its earmark's queue, or the scheme's. */
export const potQueue = (scheme: Scheme, pot: PotDefinition): string =>
  pot.earmarkId ? `${scheme.queue}/${pot.earmarkId}` : scheme.queue;

/** The row a record counts in: its pot's, or its scheme's money outside any pot, or that of cases without a scheme. */
const rowKey = (scheme: Scheme | undefined, pot: PotDefinition | undefined): string =>
  pot?.id ?? `${scheme?.id ?? ''}|no-pot`;

/** What a row's money is within its scheme. */
function moneyName(scheme: Scheme | undefined, pot: PotDefinition | undefined): string {
  if (!scheme) return '';
  if (pot?.earmarkId) return pot.name;
  if (!pot) return 'uten kategori';
  return scheme.money.earmarks.length ? 'uten øremerking' : 'hele ordningen';
}

function emptyRow(scheme: Scheme | undefined, pot: PotDefinition | undefined): MoneyRow {
  return {
    schemeId: scheme?.id ?? '',
    schemeName: scheme?.name ?? 'Uten ordning (til sortering eller ikke lest)',
    ...(pot?.earmarkId && { earmark: pot.earmarkId }),
    earmarkName: moneyName(scheme, pot),
    queue: scheme ? (pot ? potQueue(scheme, pot) : scheme.queue) : TRIAGE_QUEUE,
    cases: 0,
    requested: 0,
    byStatus: {},
    late: 0,
    overdue: 0,
  };
}

/**
 * The overview of the records and the pots' balances (each pot the caller shows, read from its ledger): a row per
 * pot, even one no case has reached yet, and one for the cases that draw on no pot.
 */
export function overviewOf(records: CaseRecord[], schemes: Scheme[], balances: PotBalance[]): Overview {
  const rows = new Map<string, MoneyRow>();
  for (const balance of balances) {
    const pot = findPot(schemes, balance.potId);
    const scheme = schemes.find((s) => s.id === pot?.schemeId);
    if (pot && scheme) rows.set(rowKey(scheme, pot), { ...emptyRow(scheme, pot), balance });
  }
  const queues = new Map<string, { queue: string; byStatus: Record<string, number>; total: number }>();
  const statuses = new Set<string>();
  const correctionCounts = new Map<string, CorrectionRow>();
  const casesPerScheme = new Map<string, number>();

  for (const record of records) {
    const status = recordStatus(record);
    if (status === 'expanded') continue;
    statuses.add(status);
    const { scheme } = earmarkOf(record, schemes);
    const pot = scheme && potForCategory(scheme, record.application?.project?.category);
    const key = rowKey(scheme, pot);
    const row = rows.get(key) ?? emptyRow(scheme, pot);
    rows.set(key, row);
    row.cases++;
    row.requested += record.application?.budget?.amountRequested ?? 0;
    row.byStatus[status] = (row.byStatus[status] ?? 0) + 1;
    if (receivedLate(record)) row.late++;
    if (record.assessment?.late) row.overdue++;

    const queueName = record.route?.queue ?? '';
    const queue = queues.get(queueName) ?? { queue: queueName, byStatus: {}, total: 0 };
    queue.byStatus[status] = (queue.byStatus[status] ?? 0) + 1;
    queue.total++;
    queues.set(queueName, queue);

    if (scheme && record.application) {
      casesPerScheme.set(scheme.id, (casesPerScheme.get(scheme.id) ?? 0) + 1);
      for (const field of new Set((record.assessment?.corrections ?? []).map((c) => c.field))) {
        const k = `${scheme.id}|${field}`;
        const entry = correctionCounts.get(k) ?? { schemeId: scheme.id, field, corrected: 0, cases: 0 };
        entry.corrected++;
        correctionCounts.set(k, entry);
      }
    }
  }
  const corrections = [...correctionCounts.values()]
    .map((c) => ({ ...c, cases: casesPerScheme.get(c.schemeId) ?? 0 }))
    .sort((a, b) => a.schemeId.localeCompare(b.schemeId) || b.corrected / b.cases - a.corrected / a.cases);
  return {
    money: [...rows.values()],
    queues: [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue)),
    corrections,
    statuses: [...statuses].sort(),
  };
}

/** The money per pot for the export, as the overview shows it: from the ledgers, whole kroner. */
export function moneyRows(money: MoneyRow[]): unknown[][] {
  return money.map((r) => [
    r.schemeName,
    r.earmarkName,
    r.balance?.allocation ?? '',
    r.balance?.reserved ?? '',
    r.balance?.committed ?? '',
    r.balance?.paid ?? '',
    r.balance?.claimedBack ?? '',
    r.balance?.remaining ?? '',
    r.cases,
    r.requested,
  ]);
}
export const moneyColumns = [
  'ordning',
  'øremerking',
  'ramme',
  'foreslått',
  'innvilget',
  'utbetalt',
  'krevd tilbake',
  'igjen',
  'saker',
  'søkt beløp',
];

/** One row per case for the export: names, not ids; dates dd.mm.yyyy and times in Oslo time, as on the pages. */
export function caseRows(records: CaseRecord[], schemes: Scheme[], present: Presenter): unknown[][] {
  return records
    .filter((r) => recordStatus(r) !== 'expanded')
    .map((r) => {
      const { scheme, earmark } = earmarkOf(r, schemes);
      const decision = r.assessment?.decision;
      const { errors, warnings } = countFindings(r.findings);
      return [
        recordReference(r),
        formatDateTime(r.document?.submission.receivedAt),
        scheme || r.application?.schemeId ? present.scheme(scheme?.id ?? r.application?.schemeId ?? undefined) : '',
        present.category(scheme?.id, r.application?.project?.category),
        present.earmark(scheme?.id, earmark),
        r.route ? present.queue(r.route.queue) : '',
        r.application?.applicant?.name ?? '',
        r.application?.applicant?.organisationNumber ?? '',
        r.application?.project?.title ?? '',
        r.application?.budget?.amountRequested ?? '',
        present.status(recordStatus(r)),
        r.assessment?.assignee ?? '',
        errors,
        warnings,
        receivedLate(r) ? 'ja' : 'nei',
        decision ? (decision.outcome === 'approved' ? 'innvilget' : 'avslått') : '',
        decision?.amount ?? '',
        decision?.decidedBy ?? '',
        decision ? formatDateTime(decision.decidedAt) : '',
      ];
    });
}
export const caseColumns = [
  'sak',
  'mottatt',
  'ordning',
  'kategori',
  'øremerking',
  'kø',
  'søker',
  'organisasjonsnummer',
  'tiltak',
  'søknadsbeløp',
  'status',
  'saksbehandler',
  'feil',
  'advarsler',
  'for sent',
  'vedtak',
  'innvilget beløp',
  'vedtatt av',
  'vedtatt',
];

export function decisionRows(records: CaseRecord[], schemes: Scheme[], present: Presenter): unknown[][] {
  return records.flatMap((r) => {
    const decision = r.assessment?.decision;
    if (!decision) return [];
    const { scheme, earmark } = earmarkOf(r, schemes);
    return [
      [
        recordReference(r),
        r.application?.applicant?.name ?? '',
        r.application?.applicant?.organisationNumber ?? '',
        scheme ? present.scheme(scheme.id) : '',
        present.earmark(scheme?.id, earmark),
        r.application?.budget?.amountRequested ?? '',
        decision.outcome === 'approved' ? 'innvilget' : 'avslått',
        decision.amount ?? '',
        decision.reason ?? '',
        decision.decidedBy,
        formatDateTime(decision.decidedAt),
      ],
    ];
  });
}
export const decisionColumns = [
  'sak',
  'søker',
  'organisasjonsnummer',
  'ordning',
  'øremerking',
  'søknadsbeløp',
  'vedtak',
  'innvilget beløp',
  'begrunnelse',
  'vedtatt av',
  'vedtatt',
];
