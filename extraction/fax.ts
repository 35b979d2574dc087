import type { GrayImage } from './ocr-lines.ts';

/** Ink, in a page whose pixels are black or white. */
const ink = 128;
/** A page this much of which is pure black or pure white was sent black and white (a fax, a bilevel scan). */
const blackAndWhiteShare = 0.99;

/** Whether the page is black and white: a fax or a bilevel scan, not a grey scan or a photo. */
export function isBlackAndWhite({ pixels }: GrayImage): boolean {
  let pure = 0;
  for (const value of pixels) if (value === 0 || value === 255) pure++;
  return pure >= blackAndWhiteShare * pixels.length;
}

/** The outer part of the page, on each side, where no text stands: a streak runs on into it, a table rule does not. */
const margin = 0.06;
/** A row (or column) whose margins are at least this much ink is a streak. */
const streakInk = 0.3;

/**
 * The page without the streaks a fax machine draws along its feed (a dirty sensor, a line lost in transmission):
 * rows, or columns, inked across the whole page, margins included, where text and a form's rules leave the margins
 * white. A streak through a line of text cuts every letter in it; where ink stands above and below a streak's pixel,
 * it is a stroke the streak crosses and stays.
 */
export function withoutStreaks(image: GrayImage): GrayImage {
  const rows = streaks(image.height, image.width, (row, at) => image.pixels[row * image.width + at]!);
  const columns = streaks(image.width, image.height, (column, at) => image.pixels[at * image.width + column]!);
  if (!rows.length && !columns.length) return image;
  const pixels = new Uint8Array(image.pixels);
  const { width, height } = image;
  for (const [first, last] of rows) {
    for (let x = 0; x < width; x++) {
      const above = first > 0 && image.pixels[(first - 1) * width + x]! < ink;
      const below = last < height - 1 && image.pixels[(last + 1) * width + x]! < ink;
      if (above && below) continue;
      for (let y = first; y <= last; y++) pixels[y * width + x] = 255;
    }
  }
  for (const [first, last] of columns) {
    for (let y = 0; y < height; y++) {
      const left = first > 0 && image.pixels[y * width + first - 1]! < ink;
      const right = last < width - 1 && image.pixels[y * width + last + 1]! < ink;
      if (left && right) continue;
      for (let x = first; x <= last; x++) pixels[y * width + x] = 255;
    }
  }
  return { width, height, pixels };
}

/** The runs of lines (rows or columns) that are streaks: first and last line of each. */
function streaks(lines: number, length: number, pixel: (line: number, at: number) => number): Array<[number, number]> {
  const edge = Math.max(1, Math.round(margin * length));
  const isStreak = (line: number) => {
    let dark = 0;
    for (let at = 0; at < edge; at++) {
      if (pixel(line, at) < ink) dark++;
      if (pixel(line, length - 1 - at) < ink) dark++;
    }
    return dark >= streakInk * 2 * edge;
  };
  const found: Array<[number, number]> = [];
  for (let line = 0; line < lines; line++) {
    if (!isStreak(line)) continue;
    const last = found.at(-1);
    if (last && last[1] === line - 1) last[1] = line;
    else found.push([line, line]);
  }
  // A band thicker than a few pixels is no streak but a black border or a dark page: left as it is.
  return found.filter(([first, last]) => last - first < 3);
}

/**
 * The page without a fax's lost and added dots: a black pixel with no black neighbour is a speck (beside a figure it
 * reads as a full stop, `3660.`), a white pixel with black on all four sides a hole in a stroke. (Filling holes in
 * strokes a pixel or two wide as well, measured, closes more letters than it mends.)
 */
export function withoutSpecks(image: GrayImage): GrayImage {
  const { width, height } = image;
  const source = image.pixels;
  const pixels = new Uint8Array(source);
  const dark = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && source[y * width + x]! < ink;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (dark(x, y)) {
        let neighbours = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && dark(x + dx, y + dy)) neighbours++;
        if (!neighbours) pixels[y * width + x] = 255;
      } else if (dark(x - 1, y) && dark(x + 1, y) && dark(x, y - 1) && dark(x, y + 1)) {
        pixels[y * width + x] = 0;
      }
    }
  }
  return { width, height, pixels };
}

/**
 * The page scaled up by `factor`, its black and white smoothed into grey at the edges (bilinear, then a small blur):
 * the engine thresholds it again and finds round letters where the fax had steps of a pixel.
 */
export function upscaled(image: GrayImage, factor: number): GrayImage {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const source = image.pixels;
  const scaled = new Uint8Array(width * height);
  // Where each column of the result samples the source: the same for every row.
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const weight = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(image.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
    left[x] = Math.floor(fx);
    right[x] = Math.min(image.width - 1, left[x]! + 1);
    weight[x] = fx - left[x]!;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(image.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const above = y0 * image.width;
    const below = Math.min(image.height - 1, y0 + 1) * image.width;
    for (let x = 0; x < width; x++) {
      const tx = weight[x]!;
      const top = source[above + left[x]!]! * (1 - tx) + source[above + right[x]!]! * tx;
      const bottom = source[below + left[x]!]! * (1 - tx) + source[below + right[x]!]! * tx;
      scaled[y * width + x] = top * (1 - ty) + bottom * ty + 0.5;
    }
  }
  return { width, height, pixels: blurred({ width, height, pixels: scaled }) };
}

/** A 3 × 3 binomial blur (1 2 1 each way). */
function blurred({ width, height, pixels }: GrayImage): Uint8Array {
  const across = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      across[i] = pixels[x > 0 ? i - 1 : i]! + 2 * pixels[i]! + pixels[x < width - 1 ? i + 1 : i]!;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      out[i] = Math.round(
        (across[y > 0 ? i - width : i]! + 2 * across[i]! + across[y < height - 1 ? i + width : i]!) / 16,
      );
    }
  }
  return out;
}
