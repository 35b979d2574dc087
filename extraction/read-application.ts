import type { Application, ProvenanceMap } from '../schemas/application.ts';
import { detectScheme } from '../schemas/detect-scheme.ts';
import type { Finding } from '../schemas/finding.ts';
import { fieldLabels } from '../schemas/rules/fields.ts';
import { findingCatalogue, type FindingCodeInfo } from '../schemas/rules/finding-codes.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { crossCheck } from './cross-check.ts';
import { formLabelsExpected, readForm, type UnknownRow } from './form-reader.ts';
import { isOcr, type ReadableText } from './form/lines.ts';

export interface ApplicationReading {
  /** The SPEC §3 application; `schemeId` is null when the document cannot be tied to a scheme. */
  application: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
  /**
   * Rows the form does not have, as written: the caseworker sees them beside the fields (and as an `unknown-row`
   * finding). */
  unknownRows: UnknownRow[];
}

/** Every finding code reading can raise (scheme detection adds its own). */
export const readingFindingCodes = {
  'unreadable-value': { severity: 'warning', label: 'Verdi som ikke kunne tolkes' },
  'not-a-form': { severity: 'warning', label: 'Ikke et utfylt søknadsskjema' },
  'unknown-row': { severity: 'info', label: 'Rad som ikke er i skjemaet' },
  'inconsistent-values': { severity: 'warning', label: 'Verdier som ikke henger sammen' },
  'corrected-value': { severity: 'warning', label: 'Skannet verdi rettet etter de andre verdiene' },
} as const satisfies Record<string, FindingCodeInfo>;

const { finding } = findingCatalogue(readingFindingCodes);

/**
 * Text to application: which scheme the document applies to, then the form's fields read through that scheme's data. */
export function readApplication(extracted: ReadableText, schemes: Scheme[]): ApplicationReading {
  const detection = detectScheme(extracted.pages.map((page) => page.text).join('\n'), schemes);
  const scheme = schemes.find((candidate) => candidate.id === detection.schemeId);
  const ocr = isOcr(extracted);
  const form = readForm(extracted, scheme);
  const checked = crossCheck(form.application, form.provenance, scheme, ocr);
  const title = titleLine(extracted, scheme);
  const provenance: ProvenanceMap = {
    schemeId: {
      method: ocr ? 'ocr+form' : 'form',
      page: title.page,
      source: title.source,
      confidence: detection.confidence,
    },
    ...checked.provenance,
  };
  const findings = [
    ...detection.findings,
    ...form.unread.map(({ field, source }) =>
      finding(
        'unreadable-value',
        `«${fieldLabels[field]}» står i skjemaet, men verdien kunne ikke tolkes: «${oneLine(source)}». Les verdien av originalen.`,
        field,
      ),
    ),
  ];
  // Validation reports a budget that does not add up, a bad check digit and an end before the start as such; in a
  // scan these may be misreadings, and the other relations validation does not check.
  const validationReports = new Set(['budget-equation', 'organisation-number-check-digit', 'period-order']);
  for (const relation of checked.failed.filter((r) => ocr || !validationReports.has(r.relation))) {
    findings.push(
      finding(
        'inconsistent-values',
        `Verdiene henger ikke sammen: ${relation.message}. ` +
          `Kontroller ${relation.fields.map((field) => `«${fieldLabels[field]}»`).join(', ')} mot originalen.`,
        relation.fields[0],
      ),
    );
  }
  if (form.unknownRows.length && form.labelsFound >= formLabelsExpected) {
    findings.push(
      finding(
        'unknown-row',
        `Skjemaet har ${form.unknownRows.length === 1 ? 'en rad' : 'rader'} som søknadsskjemaet ikke har: ` +
          form.unknownRows
            .map((row) => `«${oneLine(row.value ? `${row.label}: ${row.value}` : row.label)}»`)
            .join(', ') +
          '. Opplysningene er ikke ført inn i søknaden.',
      ),
    );
  }
  for (const correction of checked.corrected) {
    findings.push(
      finding(
        'corrected-value',
        `«${fieldLabels[correction.field]}» ble lest som ${correction.read} og er ført inn som ${correction.value}: ` +
          `${correction.reason}. Kontroller verdien mot originalen.`,
        correction.field,
      ),
    );
  }
  const notAnApplication = detection.findings.some((f) => f.code === 'not-an-application');
  if (form.labelsFound < formLabelsExpected && !notAnApplication) {
    findings.push(
      finding(
        'not-a-form',
        `Dokumentet er ikke et utfylt søknadsskjema: bare ${form.labelsFound} av skjemaets felter ble funnet. ` +
          'Opplysningene må leses av dokumentet og føres inn for hånd.',
      ),
    );
  }
  return {
    application: { ...checked.application, schemeId: detection.schemeId },
    provenance,
    findings,
    unknownRows: form.labelsFound >= formLabelsExpected ? form.unknownRows : [],
  };
}

/** The line that names the scheme (its title), else the document's first lines: what the caseworker checks. */
function titleLine(extracted: ReadableText, scheme: Scheme | undefined): { page: number; source: string } {
  const patterns = scheme?.titlePatterns.map((pattern) => pattern.toLowerCase()) ?? [];
  for (const page of extracted.pages) {
    const line = page.text
      .split('\n')
      .find((candidate) => patterns.some((pattern) => candidate.toLowerCase().includes(pattern)));
    if (line) return { page: page.number, source: line.trim() };
  }
  const first = extracted.pages[0];
  const opening =
    first?.text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(0, 2)
      .join('\n') ?? '';
  return { page: first?.number ?? 1, source: opening };
}

function oneLine(source: string): string {
  const text = source.replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
