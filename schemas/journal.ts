import { z } from 'zod';
import { toCsv } from './csv.ts';

/**
 * The case's journal (postjournal, SPEC §6 «Records»): every incoming document and every outgoing letter gets an
 * entry with a running number within the case, its date, direction, sender or recipient and title. The archive gets
 * it whole (`journalCsv`); the public journal screens the names of persons (offentleglova §§ 13 and 25, with
 * forvaltningsloven § 13: personal details are exempt; the names of organisations, the municipality and the office
 * stay).
 */

export const JournalDocumentKindSchema = z.enum([
  'application',
  'appendix',
  'supplement',
  'acceptance',
  'report',
  'appeal',
  'letter',
]);
export type JournalDocumentKind = z.infer<typeof JournalDocumentKindSchema>;

export const JournalPartySchema = z.object({
  name: z.string().trim().min(1),
  /** A person's name is screened in the public journal; an organisation's is not. */
  kind: z.enum(['organisation', 'person']),
});
export type JournalParty = z.infer<typeof JournalPartySchema>;

export const JournalEntrySchema = z.object({
  caseId: z.string().min(1),
  /** 1, 2, 3… within the case, never reused. */
  number: z.number().int().positive(),
  /** The day the document was received or the letter sent (YYYY-MM-DD). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  direction: z.enum(['inn', 'ut']),
  kind: JournalDocumentKindSchema,
  /** The sender of an incoming document, the recipient of an outgoing letter. */
  party: JournalPartySchema,
  title: z.string().trim().min(1),
  /** What the entry registers (a document's object version, a letter's id): registering it again changes nothing. */
  source: z.string().min(1),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
export type JournalRegistration = Omit<JournalEntry, 'caseId' | 'number'>;

/**
 * The journal with a document or letter registered: the next running number, or the journal as it was for a source
 * already in it. */
export function register(
  journal: readonly JournalEntry[],
  caseId: string,
  registration: JournalRegistration,
): { journal: JournalEntry[]; entry: JournalEntry } {
  const known = journal.find((entry) => entry.source === registration.source);
  if (known) return { journal: [...journal], entry: known };
  const entry = JournalEntrySchema.parse({
    ...registration,
    caseId,
    number: journal.reduce((max, e) => Math.max(max, e.number), 0) + 1,
  });
  return { journal: [...journal, entry], entry };
}

export const journalColumns = [
  'Saksnummer',
  'Løpenummer',
  'Dokumentnummer',
  'Dato',
  'Retning',
  'Dokumenttype',
  'Avsender/mottaker',
  'Tittel',
] as const;

/** What each kind of document is called in the journal (its «Dokumenttype»). */
export const journalKindNames: Record<JournalDocumentKind, string> = {
  application: 'Søknad',
  appendix: 'Vedlegg',
  supplement: 'Ettersending',
  acceptance: 'Aksept',
  report: 'Rapport',
  appeal: 'Klage',
  letter: 'Brev',
};

/** The journal for the archive: every entry as it is, in order (`SAK-7F3A9C21/3` is the document's number). */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.caseId.localeCompare(b.caseId) || a.number - b.number);
  return toCsv(
    journalColumns,
    sorted.map((e) => [
      e.caseId,
      e.number,
      `${e.caseId}/${e.number}`,
      e.date,
      e.direction,
      journalKindNames[e.kind],
      e.party.name,
      e.title,
    ]),
  );
}

export const screened = '[skjermet]';

/** An e-mail address: a person's, as a rule, and named by it (`kari.nordmann@vinje.kommune.no`). */
const emailAddress = /[\p{L}\d._%+-]+@[\p{L}\d.-]+\.\p{L}{2,}/gu;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The public journal: the names of persons replaced by «[skjermet]», as parties and wherever they stand in a title,
 * together with the persons the case otherwise knows (`persons`: the contact person, the signer), and every e-mail
 * address. Organisations' names are kept.
 */
export function publicJournal(entries: readonly JournalEntry[], persons: readonly string[] = []): JournalEntry[] {
  const names = [...new Set([...persons, ...entries.filter((e) => e.party.kind === 'person').map((e) => e.party.name)])]
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    // The longest first, so that «Kari Nordmann Berg» is screened whole before «Kari Nordmann».
    .sort((a, b) => b.length - a.length);
  const namePattern = names.length
    ? new RegExp(
        `(?<![\\p{L}\\d])(?:${names.map((n) => escape(n).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\d])`,
        'giu',
      )
    : undefined;
  const screen = (text: string) =>
    (namePattern ? text.replace(namePattern, screened) : text).replace(emailAddress, screened);
  return entries.map((e) => ({
    ...e,
    party: e.party.kind === 'person' ? { ...e.party, name: screened } : { ...e.party, name: screen(e.party.name) },
    title: screen(e.title),
  }));
}
