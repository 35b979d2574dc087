/**
 * Weights of the MOD11 check over the first eight digits of a Norwegian organisation number (Brønnøysundregistrene). */
const weights = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The check digit that the first eight digits of an organisation number call for, or undefined when the
 * remainder calls for 10: no organisation number is issued with such a prefix.
 */
export function organisationNumberCheckDigit(firstEight: string): number | undefined {
  if (!/^\d{8}$/.test(firstEight)) throw new RangeError(`expected eight digits, got "${firstEight}"`);
  const sum = weights.reduce((total, weight, i) => total + weight * Number(firstEight[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** Whether a value is a well-formed organisation number: nine digits whose last is the MOD11 check digit. */
export function isValidOrganisationNumber(value: string): boolean {
  return /^\d{9}$/.test(value) && organisationNumberCheckDigit(value.slice(0, 8)) === Number(value[8]);
}

/** An organisation number as it is printed, in groups of three (`964 964 998`); anything else unchanged. */
export function formatOrganisationNumber(value: string): string {
  return /^\d{9}$/.test(value) ? value.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') : value;
}
