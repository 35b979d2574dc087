import type { Application, FieldPath, ProvenanceMap } from './application.ts';
import { defaultTimeZone, isAfterDeadline, localDateTime } from './deadline.ts';
import type { Finding } from './finding.ts';
import { formatNok } from './format-nok.ts';
import {
  formatOrganisationNumber,
  isValidOrganisationNumber,
  organisationNumberCheckDigit,
} from './organisation-number.ts';
import { fieldLabels, isFilled, valueAt } from './rules/fields.ts';
import { findingCatalogue, type FindingCodeInfo } from './rules/finding-codes.ts';
import { formatDate, formatDateTime, formatPercent } from './rules/format.ts';
import { municipalityNumberProblem, nameIsInCounty, namesMunicipality } from './rules/municipality.ts';
import type { Scheme } from './scheme.ts';

/** What validation needs besides the application itself. */
export interface ValidationContext {
  /** The scheme the application is for; undefined when it could not be tied to one. */
  scheme: Scheme | undefined;
  /** When the e-mail was received (ISO 8601 instant); the upload time for a document without mail metadata. */
  receivedAt: string;
  /** Where each field was read from; fields read with less than `lowConfidenceThreshold` get a warning. */
  provenance?: ProvenanceMap;
  /** Case references of other applications from the same organisation number to the same scheme. */
  duplicates?: readonly string[];
}

/**
 * Below this confidence a read field is flagged for the caseworker. The form reader gives exact form matches 0.9 or
 * more; a value guessed from free text or a noisy scan comes lower, and such values are the ones worth a second look.
 */
export const lowConfidenceThreshold = 0.7;

/** Every finding code validation can raise (SPEC §4), with its severity and the field it concerns. */
export const validationFindingCodes = {
  'missing-required-field': { severity: 'error', label: 'Påkrevd felt mangler' },
  'invalid-organisation-number': {
    severity: 'error',
    field: 'applicant.organisationNumber',
    label: 'Ugyldig organisasjonsnummer',
  },
  'invalid-email': { severity: 'error', field: 'contact.email', label: 'Ugyldig e-postadresse' },
  'unknown-category': { severity: 'error', field: 'project.category', label: 'Kategorien finnes ikke i ordningen' },
  'amount-not-positive': {
    severity: 'error',
    field: 'budget.amountRequested',
    label: 'Søknadsbeløpet er ikke positivt',
  },
  'end-before-start': { severity: 'error', field: 'project.endDate', label: 'Sluttdato før startdato' },
  'applicant-not-municipality': { severity: 'error', field: 'applicant.name', label: 'Søkeren er ikke en kommune' },
  'unknown-municipality-number': {
    severity: 'warning',
    field: 'applicant.municipalityNumber',
    label: 'Ukjent kommunenummer',
  },
  'received-after-deadline': { severity: 'warning', label: 'Mottatt etter søknadsfristen' },
  'amount-exceeds-pot': {
    severity: 'warning',
    field: 'budget.amountRequested',
    label: 'Søknadsbeløpet er høyere enn potten',
  },
  'amount-exceeds-total-cost': {
    severity: 'warning',
    field: 'budget.amountRequested',
    label: 'Søknadsbeløpet er høyere enn kostnadene',
  },
  'budget-does-not-balance': { severity: 'warning', field: 'budget.totalCost', label: 'Finansieringen går ikke opp' },
  'applicant-outside-county': { severity: 'warning', label: 'Søkeren er utenfor fylket' },
  'signature-after-received': { severity: 'warning', field: 'signature.date', label: 'Underskrevet etter mottak' },
  'low-confidence': { severity: 'warning', label: 'Usikker avlesning' },
  'possible-duplicate': { severity: 'warning', field: 'applicant.organisationNumber', label: 'Mulig duplikat' },
  'scheme-checks-skipped': { severity: 'warning', field: 'schemeId', label: 'Ordningens kontroller er ikke gjort' },
} as const satisfies Record<string, FindingCodeInfo>;

export type ValidationFindingCode = keyof typeof validationFindingCodes;

/** How many errors and warnings a list of findings holds (the review app's badges, the case's search attributes). */
export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

/** The findings for an application (SPEC §4). Validation never rejects: it reports, and a person decides. */
export function validateApplication(application: Application, context: ValidationContext): Finding[] {
  const receivedAt = new Date(context.receivedAt);
  if (!isoInstant.test(context.receivedAt) || Number.isNaN(receivedAt.getTime())) {
    throw new RangeError(`receivedAt is not an ISO 8601 instant with an offset: "${context.receivedAt}"`);
  }
  const facts: Facts = {
    application,
    scheme: context.scheme,
    receivedAt,
    timeZone: context.scheme?.deadline.timeZone ?? defaultTimeZone,
    provenance: context.provenance ?? {},
    duplicates: context.duplicates ?? [],
  };
  const findings = rules.flatMap((rule) => rule(facts) ?? []);
  return context.scheme ? findings : [...findings, schemeChecksSkipped(application)];
}

/** `Date` also parses «10.04.2017» (as 4 October) and offset-less local times: only an unambiguous instant is taken. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

interface Facts {
  application: Application;
  scheme: Scheme | undefined;
  receivedAt: Date;
  /** The zone a calendar day is counted in: the scheme's, or Norway's. */
  timeZone: string;
  provenance: ProvenanceMap;
  duplicates: readonly string[];
}

type Rule = (facts: Facts) => Finding | Finding[] | undefined;
type SchemeRule = (facts: Facts & { scheme: Scheme }) => Finding | Finding[] | undefined;

/** A rule that can only run against a scheme; without one, `scheme-checks-skipped` says it was not run. */
function withScheme(rule: SchemeRule): Rule {
  return (facts) => (facts.scheme ? rule({ ...facts, scheme: facts.scheme }) : undefined);
}

const { finding } = findingCatalogue(validationFindingCodes);

/** The fields without which an application cannot be assessed (SPEC §4). */
export const requiredFields: readonly FieldPath[] = [
  'applicant.name',
  'applicant.organisationNumber',
  'contact.name',
  'contact.email',
  'project.title',
  'project.category',
  'budget.amountRequested',
  'signature.date',
];

const missingRequiredFields: Rule = ({ application }) =>
  requiredFields
    .filter((path) => !isFilled(valueAt(application, path)))
    .map((path) =>
      finding('missing-required-field', `Feltet «${fieldLabels[path]}» mangler eller kunne ikke leses.`, path),
    );

const invalidOrganisationNumber: Rule = ({ application }) => {
  const number = application.applicant?.organisationNumber;
  if (!isFilled(number) || isValidOrganisationNumber(number)) return undefined;
  return finding(
    'invalid-organisation-number',
    `Organisasjonsnummeret ${formatOrganisationNumber(number)} er ugyldig: ${organisationNumberFault(number)}.`,
  );
};

function organisationNumberFault(number: string): string {
  if (!/^\d{9}$/.test(number)) return 'det skal være ni sifre';
  const expected = organisationNumberCheckDigit(number.slice(0, 8));
  return expected === undefined
    ? 'ingen organisasjonsnumre begynner med disse åtte sifrene (kontrollsifferet ville blitt 10)'
    : `kontrollsifferet (det siste sifferet) skulle vært ${expected}, ikke ${number[8]}`;
}

/** A mailbox address: a local part without spaces or stray dots, and a domain of at least two labels (IDN allowed). */
const emailAddress =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;

const invalidEmail: Rule = ({ application }) => {
  const email = application.contact?.email;
  if (!isFilled(email) || emailAddress.test(email)) return undefined;
  return finding('invalid-email', `E-postadressen «${email}» er ugyldig.`);
};

const unknownCategory: SchemeRule = ({ application, scheme }) => {
  const category = application.project?.category;
  if (!isFilled(category) || scheme.categories.some((c) => c.id === category)) return undefined;
  const known = scheme.categories.map((c) => `${c.labels[0]} (${c.id})`).join(', ');
  return finding(
    'unknown-category',
    `Kategorien «${category}» finnes ikke i ordningen «${scheme.name}». Ordningens kategorier er: ${known}.`,
  );
};

const amountNotPositive: Rule = ({ application }) => {
  const amount = application.budget?.amountRequested;
  if (amount === undefined || amount > 0) return undefined;
  return finding('amount-not-positive', `Søknadsbeløpet (${formatNok(amount)}) må være større enn null.`);
};

const endBeforeStart: Rule = ({ application }) => {
  const { startDate, endDate } = application.project ?? {};
  if (!startDate || !endDate || endDate >= startDate) return undefined;
  return finding('end-before-start', `Sluttdatoen ${formatDate(endDate)} er før startdatoen ${formatDate(startDate)}.`);
};

/**
 * The applicant must be a municipality: its name must name one (see `namesMunicipality`). A missing name is already a
 * missing required field, and a municipality number alone proves nothing: a unit or a company may write its
 * municipality's number.
 */
const applicantNotMunicipality: Rule = ({ application, scheme }) => {
  const name = application.applicant?.name;
  if (!isFilled(name) || namesMunicipality(name, scheme?.eligibility.county)) return undefined;
  return finding(
    'applicant-not-municipality',
    `Søkeren «${name}» ser ikke ut til å være en kommune. Bare kommuner kan søke; andre aktører kan være samarbeidspartnere.`,
  );
};

const unknownMunicipalityNumber: Rule = ({ application, scheme }) => {
  const number = application.applicant?.municipalityNumber;
  const county = scheme?.eligibility.county;
  const problem = isFilled(number) ? municipalityNumberProblem(number, county) : undefined;
  if (!problem) return undefined;
  return finding(
    'unknown-municipality-number',
    county && problem === 'not-in-county'
      ? `Kommunenummeret ${number} finnes ikke blant kommunene i ${county.name}.`
      : `Kommunenummeret ${number} er ikke et gyldig kommunenummer (de to første sifrene skal være et fylkesnummer).`,
  );
};

const receivedAfterDeadline: SchemeRule = ({ scheme, receivedAt }) => {
  if (!isAfterDeadline(receivedAt, scheme.deadline)) return undefined;
  const { timeZone } = scheme.deadline;
  return finding(
    'received-after-deadline',
    `Søknaden kom inn ${formatDateTime(receivedAt, timeZone)}, etter søknadsfristen ${formatDate(scheme.deadline.date)} ` +
      `for «${scheme.name}».`,
  );
};

/** The pot an application draws on: its category's earmark, or the scheme's whole money where there is no earmark. */
export function potFor(scheme: Scheme, categoryId: string | undefined): { amount: number; description: string } {
  const earmarkId = scheme.categories.find((c) => c.id === categoryId)?.earmark;
  const earmark = scheme.money.earmarks.find((e) => e.id === earmarkId);
  if (earmark)
    return {
      amount: earmark.amount,
      description: `potten for øremerkingen «${earmark.name}» (${formatNok(earmark.amount)})`,
    };
  const where =
    scheme.money.scope === 'national' ? 'på landsbasis' : `for ${scheme.eligibility.county?.name ?? 'fylket'}`;
  return {
    amount: scheme.money.total,
    description: `hele potten for ordningen «${scheme.name}» (${formatNok(scheme.money.total)} ${where})`,
  };
}

const amountExceedsPot: SchemeRule = ({ application, scheme }) => {
  const amount = application.budget?.amountRequested;
  const pot = potFor(scheme, application.project?.category);
  if (amount === undefined || amount <= pot.amount) return undefined;
  return finding('amount-exceeds-pot', `Søknadsbeløpet (${formatNok(amount)}) er høyere enn ${pot.description}.`);
};

const amountExceedsTotalCost: Rule = ({ application }) => {
  const { amountRequested, totalCost } = application.budget ?? {};
  if (amountRequested === undefined || totalCost === undefined || amountRequested <= totalCost) return undefined;
  return finding(
    'amount-exceeds-total-cost',
    `Søknadsbeløpet (${formatNok(amountRequested)}) er høyere enn de totale kostnadene (${formatNok(totalCost)}).`,
  );
};

const budgetDoesNotBalance: Rule = ({ application }) => {
  const { totalCost, ownFunding, otherFunding, amountRequested } = application.budget ?? {};
  if (
    totalCost === undefined ||
    ownFunding === undefined ||
    otherFunding === undefined ||
    amountRequested === undefined
  )
    return undefined;
  const financed = ownFunding + otherFunding + amountRequested;
  if (financed === totalCost) return undefined;
  return finding(
    'budget-does-not-balance',
    `Egenfinansiering (${formatNok(ownFunding)}), annen finansiering (${formatNok(otherFunding)}) og søknadsbeløp ` +
      `(${formatNok(amountRequested)}) blir til sammen ${formatNok(financed)}, men de totale kostnadene er ` +
      `${formatNok(totalCost)} (differanse ${formatNok(Math.abs(financed - totalCost))}).`,
  );
};

/**
 * Where the scheme's money is a county's, the applicant must be in it: judged by the municipality number, or by the
 * name when the number is missing or cannot be a municipality's (that has its own finding).
 */
const applicantOutsideCounty: SchemeRule = ({ application, scheme }) => {
  const county = scheme.eligibility.county;
  if (!county) return undefined;
  const { name, municipalityNumber: number } = application.applicant ?? {};
  const why = `Ordningen «${scheme.name}» gjelder kommunene i ${county.name}.`;
  if (isFilled(number) && !municipalityNumberProblem(number, county)) {
    if (Object.hasOwn(county.municipalities, number)) return undefined;
    return finding(
      'applicant-outside-county',
      `Søkeren har kommunenummer ${number}, som ikke er en kommune i ${county.name}. ${why}`,
      'applicant.municipalityNumber',
    );
  }
  if (!isFilled(name) || nameIsInCounty(name, county)) return undefined;
  return finding(
    'applicant-outside-county',
    `Søkeren «${name}» er ikke en kommune i ${county.name} (bedømt ut fra navnet, siden kommunenummeret ${number ? 'er ugyldig' : 'mangler'}). ${why}`,
    'applicant.name',
  );
};

/** A signature dated after the day the application came in (in the scheme's zone) is likely misread or mistyped. */
const signatureAfterReceived: Rule = ({ application, receivedAt, timeZone }) => {
  const signed = application.signature?.date;
  const received = localDateTime(receivedAt, timeZone).date;
  if (!signed || signed <= received) return undefined;
  return finding(
    'signature-after-received',
    `Underskriftsdatoen ${formatDate(signed)} er etter at søknaden kom inn (${formatDateTime(receivedAt, timeZone)}).`,
  );
};

/** A caseworker's correction is certain whatever its recorded confidence, so only read values are flagged. */
const lowConfidence: Rule = ({ provenance }) =>
  (Object.keys(fieldLabels) as FieldPath[]).flatMap((path) => {
    const read = provenance[path];
    if (!read || read.method === 'correction' || read.confidence >= lowConfidenceThreshold) return [];
    const where = read.page ? ` på side ${read.page}` : '';
    return finding(
      'low-confidence',
      `Feltet «${fieldLabels[path]}» er lest med lav sikkerhet (${formatPercent(read.confidence)}) fra «${read.source}»${where}. Kontroller verdien mot originalen.`,
      path,
    );
  });

const possibleDuplicate: Rule = ({ application, duplicates }) => {
  if (duplicates.length === 0) return undefined;
  const number = application.applicant?.organisationNumber;
  const from = number ? `organisasjonsnummer ${formatOrganisationNumber(number)}` : 'samme organisasjonsnummer';
  const others = duplicates.length === 1 ? 'en annen søknad' : `${duplicates.length} andre søknader`;
  return finding(
    'possible-duplicate',
    `Det finnes allerede ${others} fra ${from} til samme ordning (${duplicates.join(', ')}). Søknaden kan være et duplikat eller en ny versjon.`,
  );
};

function schemeChecksSkipped(application: Application): Finding {
  const which = application.schemeId
    ? `Ordningen «${application.schemeId}» er ukjent`
    : 'Søknaden er ikke knyttet til en tilskuddsordning';
  return finding(
    'scheme-checks-skipped',
    `${which}, så kategori, søknadsfrist, pott og fylke er ikke kontrollert. Velg ordning for å få dem kontrollert.`,
  );
}

/** SPEC §4's rules, errors before warnings, in the order a caseworker reads the form. */
const rules: readonly Rule[] = [
  missingRequiredFields,
  invalidOrganisationNumber,
  invalidEmail,
  withScheme(unknownCategory),
  amountNotPositive,
  endBeforeStart,
  applicantNotMunicipality,
  unknownMunicipalityNumber,
  withScheme(receivedAfterDeadline),
  withScheme(amountExceedsPot),
  amountExceedsTotalCost,
  budgetDoesNotBalance,
  withScheme(applicantOutsideCounty),
  signatureAfterReceived,
  lowConfidence,
  possibleDuplicate,
];
