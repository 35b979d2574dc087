import { z } from 'zod';
import { ApplicationSchema, type Application, type FieldPath } from '../application.ts';

/** The form's Bokmål label for every field (SPEC §2), as caseworkers know them from the paper form. */
export const fieldLabels: Record<FieldPath, string> = {
  schemeId: 'Tilskuddsordning',
  'applicant.name': 'Søker (kommune)',
  'applicant.organisationNumber': 'Organisasjonsnummer',
  'applicant.municipalityNumber': 'Kommunenummer',
  'applicant.address': 'Postadresse',
  'applicant.postalCode': 'Postnummer',
  'applicant.postalPlace': 'Poststed',
  'contact.name': 'Kontaktperson',
  'contact.role': 'Stilling (kontaktperson)',
  'contact.email': 'E-post',
  'contact.phone': 'Telefon',
  partners: 'Samarbeidspartnere',
  'project.title': 'Tiltakets navn',
  'project.category': 'Kategori',
  'project.summary': 'Kort beskrivelse av tiltaket',
  'project.targetGroup': 'Målgruppe',
  'project.startDate': 'Startdato',
  'project.endDate': 'Sluttdato',
  'project.participants': 'Antall deltakere',
  subGoals: 'Delmål',
  hasOverarchingPlan: 'Overordnet plan for arbeid med pårørende',
  'budget.totalCost': 'Totale kostnader',
  'budget.ownFunding': 'Egenfinansiering',
  'budget.otherFunding': 'Annen finansiering',
  'budget.amountRequested': 'Søknadsbeløp',
  'signature.place': 'Sted (underskrift)',
  'signature.date': 'Dato (underskrift)',
  'signature.name': 'Underskrift (navn)',
  'signature.role': 'Stilling (underskriver)',
};

/** The value at a dotted field path, or undefined when it (or its section) is absent. */
export function valueAt(application: Application, path: FieldPath): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], application);
}

/** Sets one field of the application in place, creating its section as needed. */
export function setField(application: Application, path: FieldPath, value: unknown): void {
  const [section, key] = path.split('.') as [string, string | undefined];
  const target = application as Record<string, unknown>;
  target[section] = key === undefined ? value : { ...(target[section] as object | undefined), [key]: value };
}

/** The application with one field set; the original is left as it was. */
export function withField(application: Application, path: FieldPath, value: unknown): Application {
  const copy = JSON.parse(JSON.stringify(application)) as Application;
  setField(copy, path, value);
  return copy;
}

/** The zod schema of one field of the application, or undefined for a path that is not a field. */
export function fieldSchema(path: string): z.ZodType | undefined {
  if (!Object.hasOwn(fieldLabels, path)) return undefined;
  const [section, key] = path.split('.') as [string, string | undefined];
  const shape = ApplicationSchema.shape as Record<string, z.ZodType>;
  const top = unwrapOptional(shape[section]!);
  if (!key) return top;
  return unwrapOptional((top as z.ZodObject).shape[key] as z.ZodType);
}

function unwrapOptional(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

/** Whether a field holds something: blank text or an empty list counts as missing, like an absent field. */
export function isFilled<T>(value: T): value is NonNullable<T> {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
