import { z } from 'zod';

/** The two written standards of Norwegian (målform): a letter is written in the one the application was written in. */
export const WrittenStandardSchema = z.enum(['nb', 'nn']);
export type WrittenStandard = z.infer<typeof WrittenStandardSchema>;

/** A text in both written standards. */
export const BilingualSchema = z.object({ nb: z.string().min(1), nn: z.string().min(1) });
export type Bilingual = z.infer<typeof BilingualSchema>;

/**
 * Words that occur only in Nynorsk, and their Bokmål counterparts, as applicants write them on the form (its labels,
 * SPEC §2) and in free text. Both lists are whole words; the form's shared words (Kontaktperson, Målgruppe) count
 * for neither.
 */
const nynorskWords = [
  'søkjar',
  'søkjaren',
  'opplysningar',
  'namn',
  'stad',
  'skildring',
  'byggjer',
  'ein',
  'eit',
  'ikkje',
  'eg',
  'kva',
  'korleis',
  'kven',
  'dei',
  'dykkar',
  'vidareutdanning',
  'eigenfinansiering',
  'anna',
  'tal',
  'deltakarar',
  'samarbeidspartnarar',
  'pårørande',
  'tilskot',
  'tilbod',
  'meistring',
  'òg',
  'frå',
  'berre',
  'mykje',
  'heile',
  'overordna',
  'tenester',
  'brukarar',
  'innan',
];
const bokmalWords = [
  'søker',
  'søkeren',
  'opplysninger',
  'navn',
  'sted',
  'beskrivelse',
  'bygger',
  'en',
  'et',
  'ikke',
  'jeg',
  'hva',
  'hvordan',
  'hvem',
  'de',
  'deres',
  'videreutdanning',
  'egenfinansiering',
  'annen',
  'antall',
  'deltakere',
  'samarbeidspartnere',
  'pårørende',
  'tilskudd',
  'tilbud',
  'mestring',
  'også',
  'fra',
  'bare',
  'mye',
  'hele',
  'overordnet',
  'tjenester',
  'brukere',
  'innen',
];
const nynorsk = new Set(nynorskWords);
const bokmal = new Set(bokmalWords);

/**
 * The written standard of an application's text: Nynorsk when its Nynorsk-only words outnumber its Bokmål-only
 * ones, Bokmål otherwise (the default standard of a letter from the state). The form reader matches labels of both
 * standards alike and keeps no trace of which matched, so the case decides from the document's text.
 */
export function writtenStandardOf(text: string): WrittenStandard {
  let nn = 0;
  let nb = 0;
  for (const word of text.toLowerCase().match(/[\p{L}]+/gu) ?? []) {
    if (nynorsk.has(word)) nn += 1;
    else if (bokmal.has(word)) nb += 1;
  }
  return nn > nb ? 'nn' : 'nb';
}
