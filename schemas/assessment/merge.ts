import type { Application, FieldPath, Provenance, ProvenanceMap } from '../application.ts';
import type { CaseDocument } from '../case-record.ts';
import type { Finding } from '../finding.ts';
import { formatOrganisationNumber, isValidOrganisationNumber } from '../organisation-number.ts';
import { fieldLabels, valueAt, withField } from '../rules/fields.ts';
import type { Correction, DocumentReading } from './state.ts';

/**
 * What a document that joins the case does to its application: becomes it (the case had no application form yet, e.g.
 * the appendix came first), fills in and replaces what a newer form says (a supplement; a caseworker's correction
 * still wins), nothing (an appendix, a letter, an unreadable file), or nothing until a caseworker has decided (a form
 * from another applicant: `unrelated`).
 */
export interface DocumentChanges {
  effect: 'adopted' | 'merged' | 'none' | 'unrelated';
  application: Application;
  provenance: ProvenanceMap;
  /** The fields whose value the document changed. */
  fields: FieldPath[];
  /** Fields the document gives otherwise than a caseworker corrected them: the correction is kept. */
  keptCorrections: FieldPath[];
  /** For an `unrelated` document: the finding that names both applicants. */
  unrelated?: Finding;
}

/** The case's application as a document may change it. */
export interface CaseApplication {
  application: Application;
  provenance: ProvenanceMap;
  corrections: readonly Correction[];
}

/**
 * What a document would change. Only an application form changes the application (its scheme is what the reader
 * recognised it by). A form may fill in and correct the scheme's data, never the applicant: one that names another
 * applicant is held back for the caseworker, unless `acceptApplicant` says a caseworker has taken it in anyway.
 */
export function documentChanges(
  { application, provenance, corrections }: CaseApplication,
  reading: DocumentReading | undefined,
  document?: Pick<CaseDocument, 'original' | 'fileName'>,
  { acceptApplicant = false } = {},
): DocumentChanges {
  const unchanged: DocumentChanges = { effect: 'none', application, provenance, fields: [], keptCorrections: [] };
  if (!reading?.application.schemeId) return unchanged;
  const from = (provenance: Provenance | undefined): Provenance | undefined =>
    provenance && document ? { ...provenance, document: document.original.key } : provenance;
  const corrected = new Map(corrections.map((c) => [c.field, c.newValue]));
  if (!application.schemeId) {
    let adopted = reading.application;
    for (const [field, value] of corrected) adopted = withField(adopted, field, value);
    const fields = (Object.keys(fieldLabels) as FieldPath[]).filter(
      (f) => !corrected.has(f) && !sameValue(valueAt(application, f), valueAt(adopted, f)),
    );
    const adoptedProvenance: ProvenanceMap = {};
    for (const [field, provenance] of Object.entries(reading.provenance))
      adoptedProvenance[field as FieldPath] = from(provenance);
    for (const field of corrected.keys()) if (provenance[field]) adoptedProvenance[field] = provenance[field];
    return { effect: 'adopted', application: adopted, provenance: adoptedProvenance, fields, keptCorrections: [] };
  }
  if (!acceptApplicant && !sameApplicant(application, reading.application)) {
    return {
      ...unchanged,
      effect: 'unrelated',
      unrelated: otherApplicantFinding(document?.fileName, application, reading.application),
    };
  }
  let merged = application;
  const mergedProvenance = { ...provenance };
  const fields: FieldPath[] = [];
  const keptCorrections: FieldPath[] = [];
  for (const field of Object.keys(fieldLabels) as FieldPath[]) {
    const value = valueAt(reading.application, field);
    if (value === undefined || value === null || sameValue(value, valueAt(merged, field))) continue;
    if (corrected.has(field)) {
      keptCorrections.push(field);
      continue;
    }
    merged = withField(merged, field, value);
    const source = from(reading.provenance[field]);
    if (source) mergedProvenance[field] = source;
    else delete mergedProvenance[field];
    fields.push(field);
  }
  return {
    effect: fields.length ? 'merged' : 'none',
    application: merged,
    provenance: mergedProvenance,
    fields,
    keptCorrections,
  };
}

/**
 * Whether two forms are from the same applicant: no identity both give differs. An organisation number counts only when
 * the case's is a valid one (a supplement may put a mistyped number right); names are compared as a municipality's
 * name is written («Nome kommune», «Nome»).
 */
export function sameApplicant(own: Application, other: Application): boolean {
  const a = own.applicant ?? {};
  const b = other.applicant ?? {};
  const differ = (x: string | undefined, y: string | undefined) => x !== undefined && y !== undefined && x !== y;
  if (
    a.organisationNumber &&
    isValidOrganisationNumber(a.organisationNumber) &&
    differ(a.organisationNumber, b.organisationNumber)
  )
    return false;
  if (differ(a.municipalityNumber, b.municipalityNumber)) return false;
  return !differ(municipalityName(a.name), municipalityName(b.name));
}

const municipalityName = (name: string | undefined) => {
  const core = name
    ?.toLocaleLowerCase('nb')
    .replace(/\bkommunen?\b/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return core || undefined;
};

/** The finding that holds a document from another applicant back for the caseworker, naming both applicants. */
export function otherApplicantFinding(fileName: string | undefined, own: Application, other: Application): Finding {
  const document = fileName ? `Dokumentet «${fileName}»` : 'Dokumentet';
  return {
    code: 'document-from-other-applicant',
    severity: 'error',
    field: 'applicant.name',
    message:
      `${document} er fra ${applicantName(other)}, men saken gjelder ${applicantName(own)}. Det er lagt ved saken uten å ` +
      'bli brukt. Avgjør om det skal tas inn i saken, eller behandles som en egen sak.',
  };
}

function applicantName(application: Application): string {
  const { name, organisationNumber, municipalityNumber } = application.applicant ?? {};
  const ids = [
    organisationNumber && `org.nr. ${formatOrganisationNumber(organisationNumber)}`,
    municipalityNumber && `kommunenr. ${municipalityNumber}`,
  ].filter(Boolean);
  return `${name ?? 'en ukjent søker'}${ids.length ? ` (${ids.join(', ')})` : ''}`;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
