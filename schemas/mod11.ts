/**
 * The MOD11 check digit Norwegian registers put last in their numbers (organisation numbers, bank accounts), over
 * the digits before it with the register's weights; undefined when the remainder calls for 10, as no number is
 * issued with such a prefix.
 */
export function mod11CheckDigit(digits: string, weights: readonly number[]): number | undefined {
  if (digits.length !== weights.length || !/^\d+$/.test(digits))
    throw new RangeError(`expected ${weights.length} digits, got "${digits}"`);
  const sum = weights.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}
