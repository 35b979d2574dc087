/** Whole kroner as Norwegian caseworkers write them: `kr 1 500 000`, `kr -5 000`. */
export function formatNok(amount: number): string {
  const digits = Math.abs(Math.round(amount))
    .toString()
    .replace(/\B(?=(\d{3})+$)/g, ' ');
  return `kr ${amount < 0 ? '-' : ''}${digits}`;
}
