import type { FieldPath } from '../schemas/application.ts';
import type { ExtractedText } from '../schemas/document.ts';
import { isFilled, valueAt } from '../schemas/rules/fields.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { requiredFields } from '../schemas/validate.ts';
import { mergeReadings, type LlmReader, type SchemeChoice } from './llm-reader.ts';
import { readApplication, type ApplicationReading } from './read-application.ts';

/**
 * A document's application: the form reader first; the language model (when one is configured) only for what the
 * form reader could not do: a letter or an unknown layout, a document it could not tie to a scheme, a required field
 * it left empty or a value it could not make sense of. The form's values always win; the model fills gaps.
 */
export async function readDocument(
  text: ExtractedText,
  schemes: Scheme[],
  llm: LlmReader,
): Promise<ApplicationReading> {
  const form = readApplication(text, schemes);
  if (!needsModel(form)) return form;
  const model = await llm.read(text, schemes.map(schemeChoice));
  const merged = mergeReadings(form, model);
  // A value the model read is no longer one the form reader could not make sense of, and a letter the model read
  // need not be typed in by hand: the model's values carry their own confidence and findings.
  const filledByModel = (field: string | undefined) =>
    merged.provenance[field as FieldPath]?.method.endsWith('llm') ?? false;
  const modelRead = Object.values(merged.provenance).some((provenance) => provenance?.method.endsWith('llm'));
  const findings = merged.findings.filter(
    (f) => !(f.code === 'unreadable-value' && filledByModel(f.field)) && !(f.code === 'not-a-form' && modelRead),
  );
  return { application: merged.application, provenance: merged.provenance, findings, unknownRows: form.unknownRows };
}

const schemeChoice = (scheme: Scheme): SchemeChoice => ({
  id: scheme.id,
  name: scheme.name,
  categories: scheme.categories.map((c) => c.id),
});

function needsModel({ application, findings }: ApplicationReading): boolean {
  if (findings.some((f) => f.code === 'not-an-application')) return false;
  if (!application.schemeId || findings.some((f) => f.code === 'not-a-form' || f.code === 'unreadable-value'))
    return true;
  return requiredFields.some((path) => !isFilled(valueAt(application, path)));
}
