import type { Scheme } from '../scheme.ts';

/** A scheme's eligibility county, with its municipalities by number. */
export type County = NonNullable<Scheme['eligibility']['county']>;

/**
 * Every county number a municipality number has begun with since 1972 (the first two digits): the 19 counties
 * to 2017, Trøndelag (2018), the merged counties of 2020 and the counties split again in 2024. A definition for a
 * later year then needs no change here.
 */
const countyNumbers = new Set([
  ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
  ...['14', '15', '16', '17', '18', '19', '20'],
  ...['30', '31', '32', '33', '34', '38', '39', '40', '42', '46', '50', '54', '55', '56'],
]);

/** «kommune» as a word, in its inflections and plurals (Bokmål and Nynorsk): not «fylkeskommune», «interkommunalt». */
const municipalityWord = /(?<![\p{L}\p{N}])kommun(?:e|en|er|ene|ar|ane)(?![\p{L}\p{N}])/iu;

/**
 * Whether an applicant's name names a municipality: it says «kommune» («Vinje kommune», «Tokke og Vinje kommunar»),
 * or it is just the name of a municipality in the scheme's county («Vinje»). «Telemark fylkeskommune»,
 * «Sykehuset Telemark HF» and «KS» do not. OCR often reads «m» as «rn», so «kornmune» counts.
 */
export function namesMunicipality(name: string, county: County | undefined): boolean {
  if (municipalityWord.test(name.replace(/rn/gi, 'm'))) return true;
  const bare = name.trim().toLocaleLowerCase('nb');
  return Object.values(county?.municipalities ?? {}).some(
    (municipality) => municipality.toLocaleLowerCase('nb') === bare,
  );
}

/** Why a municipality number cannot be a municipality's: no such county, or not one of the scheme county's. */
export type MunicipalityNumberProblem = 'no-such-county' | 'not-in-county';

/**
 * A municipality number is four digits: a county number, then the municipality within it (never 00). Within the
 * scheme's own county, which the register covers completely, it must also be one of the register's numbers.
 */
export function municipalityNumberProblem(
  number: string,
  county: County | undefined,
): MunicipalityNumberProblem | undefined {
  if (!/^\d{4}$/.test(number) || !countyNumbers.has(number.slice(0, 2)) || number.endsWith('00'))
    return 'no-such-county';
  if (county && countyNumberOf(county) === number.slice(0, 2) && !Object.hasOwn(county.municipalities, number)) {
    return 'not-in-county';
  }
  return undefined;
}

/** The county number the register's municipality numbers share, if they share one. */
function countyNumberOf(county: County): string | undefined {
  const prefixes = new Set(Object.keys(county.municipalities).map((number) => number.slice(0, 2)));
  return prefixes.size === 1 ? [...prefixes][0] : undefined;
}

/** Whether a name mentions one of the county's municipalities as a word («Bø i Telemark kommune»: Bø, not Bømlo). */
export function nameIsInCounty(name: string, county: County): boolean {
  return Object.values(county.municipalities).some((municipality) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(municipality)}(?![\\p{L}\\p{N}])`, 'iu').test(name),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
