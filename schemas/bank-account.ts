import { mod11CheckDigit } from './mod11.ts';

/** Weights of the MOD11 check over the first ten digits of a Norwegian bank account number (kontonummer). */
const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** The check digit the first ten digits of an account number call for (undefined: none is issued). */
export const bankAccountCheckDigit = (firstTen: string): number | undefined => mod11CheckDigit(firstTen, weights);

/** Whether eleven digits are a well-formed account number: the last is the MOD11 check digit of the others. */
export function isValidBankAccount(digits: string): boolean {
  return /^\d{11}$/.test(digits) && bankAccountCheckDigit(digits.slice(0, 10)) === Number(digits[10]);
}

/**
 * An account number as applicants write it (`1234.56.78903`, `1234 56 78903`, `12345678903`) in its normal form, the
 * eleven digits; undefined when it is not eleven digits in one of those groupings.
 */
export function normaliseBankAccount(written: string): string | undefined {
  const trimmed = written.trim();
  if (!/^\d{4}([. ]?)\d{2}\1\d{5}$/.test(trimmed)) return undefined;
  return trimmed.replace(/\D/g, '');
}

/** An account number as it is printed: `1234.56.78903`; anything else unchanged. */
export function formatBankAccount(digits: string): string {
  return /^\d{11}$/.test(digits) ? digits.replace(/^(\d{4})(\d{2})(\d{5})$/, '$1.$2.$3') : digits;
}
