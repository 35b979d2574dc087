import { InvalidArgumentError } from 'commander';

/** A commander option parser for counts and seeds: a whole number of at least 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** A count that may be 0 (`--held-out-size 0`: no held-out set). */
export function wholeNumber(value: string): number {
  return value.trim() === '0' ? 0 : positiveInteger(value);
}

/** A comma-separated list of them (`--sizes 100,1000`). */
export const positiveIntegers = (value: string): number[] => value.split(',').map(positiveInteger);
