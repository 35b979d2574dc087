/** Edit distance (Levenshtein) between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), previous[j]! + 1, current[j - 1]! + 1);
    }
    previous = current;
  }
  return previous[b.length]!;
}

export interface Occurrence {
  start: number;
  end: number;
  /** Edits needed to turn the found text into the pattern; 0 for an exact occurrence. */
  distance: number;
}

const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\d]/u.test(char);

/** The first occurrence of `pattern` in `text` that is a whole word sequence (not part of a longer word). */
export function findWhole(pattern: string, text: string, from = 0): Occurrence | undefined {
  for (let start = text.indexOf(pattern, from); start >= 0; start = text.indexOf(pattern, start + 1)) {
    const end = start + pattern.length;
    if (!isWordChar(text[start - 1]) && !isWordChar(text[end])) return { start, end, distance: 0 };
  }
  return undefined;
}

/**
 * The substring of `text` closest to `pattern` within `maxErrors` edits (Sellers' algorithm), earliest among equals.
 * OCR text misreads letters, so exact search alone loses options and labels a person would still recognise.
 */
export function findApproximate(pattern: string, text: string, maxErrors: number): Occurrence | undefined {
  const m = pattern.length;
  // distance[i] / start[i]: best alignment of pattern[0, i) ending at the current text position.
  let distance = Array.from({ length: m + 1 }, (_, i) => i);
  let start = new Array<number>(m + 1).fill(0);
  let best: Occurrence | undefined;
  for (let j = 1; j <= text.length; j++) {
    const nextDistance = [0];
    const nextStart = [j];
    for (let i = 1; i <= m; i++) {
      const substitute = distance[i - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1);
      const skipText = distance[i]! + 1;
      const skipPattern = nextDistance[i - 1]! + 1;
      if (substitute <= skipText && substitute <= skipPattern) {
        nextDistance[i] = substitute;
        nextStart[i] = start[i - 1]!;
      } else if (skipText <= skipPattern) {
        nextDistance[i] = skipText;
        nextStart[i] = start[i]!;
      } else {
        nextDistance[i] = skipPattern;
        nextStart[i] = nextStart[i - 1]!;
      }
    }
    distance = nextDistance;
    start = nextStart;
    const d = distance[m]!;
    if (d <= maxErrors && (!best || d < best.distance)) best = { start: start[m]!, end: j, distance: d };
  }
  return best;
}
