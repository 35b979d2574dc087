import type { CaseRecord } from '../schemas/case-record.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { countFindings } from '../schemas/validate.ts';
import { TRIAGE_QUEUE } from '../schemas/route.ts';
import { formatDateTime } from './format.ts';
import type { Presenter } from './present.ts';
import { recordReference, recordStatus } from './records.ts';

/** The round as the records show it: money and counts per scheme and earmark, per queue, and correction rates. */

export interface MoneyRow {
  schemeId: string;
  schemeName: string;
  earmark?: string;
  earmarkName: string;
  /** The queue that assesses this money (the triage queue for cases without a scheme). */
  queue: string;
  pot?: number;
  cases: number;
  requested: number;
  granted: number;
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

export function overviewOf(records: CaseRecord[], schemes: Scheme[]): Overview {
  const rows = new Map<string, MoneyRow>();
  for (const scheme of schemes) {
    const earmarks = scheme.money.earmarks;
    const entries = earmarks.length
      ? [
          ...earmarks.map((e) => ({
            id: e.id as string | undefined,
            name: e.name,
            amount: e.amount as number | undefined,
          })),
          { id: undefined, name: 'uten kategori', amount: undefined },
        ]
      : [{ id: undefined, name: 'hele ordningen', amount: scheme.money.total }];
    for (const e of entries) {
      rows.set(`${scheme.id}|${e.id ?? ''}`, {
        schemeId: scheme.id,
        schemeName: scheme.name,
        ...(e.id && { earmark: e.id }),
        earmarkName: e.name,
        queue: e.id ? `${scheme.queue}/${e.id}` : scheme.queue,
        ...(e.amount !== undefined && { pot: e.amount }),
        cases: 0,
        requested: 0,
        granted: 0,
        byStatus: {},
        late: 0,
        overdue: 0,
      });
    }
  }
  const queues = new Map<string, { queue: string; byStatus: Record<string, number>; total: number }>();
  const statuses = new Set<string>();
  const correctionCounts = new Map<string, CorrectionRow>();
  const casesPerScheme = new Map<string, number>();

  for (const record of records) {
    const status = recordStatus(record);
    if (status === 'expanded') continue;
    statuses.add(status);
    const { scheme, earmark } = earmarkOf(record, schemes);
    const key = scheme ? `${scheme.id}|${earmark ?? ''}` : 'none|';
    let row = rows.get(key);
    if (!row) {
      row = {
        schemeId: scheme?.id ?? '',
        schemeName: scheme?.name ?? 'Uten ordning (til sortering eller ikke lest)',
        earmarkName: '',
        queue: scheme?.queue ?? TRIAGE_QUEUE,
        cases: 0,
        requested: 0,
        granted: 0,
        byStatus: {},
        late: 0,
        overdue: 0,
      };
      rows.set(key, row);
    }
    row.cases++;
    row.requested += record.application?.budget?.amountRequested ?? 0;
    const decision = record.assessment?.decision;
    if (decision?.outcome === 'approved') row.granted += decision.amount ?? 0;
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
    money: [...rows.values()].filter((r) => r.cases > 0 || r.pot !== undefined),
    queues: [...queues.values()].sort((a, b) => a.queue.localeCompare(b.queue)),
    corrections,
    statuses: [...statuses].sort(),
  };
}

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
