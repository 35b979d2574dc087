import type { GrayImage } from './ocr-lines.ts';

/** How much of the difference from its surroundings is added to each pixel: the mask's strength. */
const strength = 2.5;

/**
 * A phone's soft focus taken back (an unsharp mask): each pixel pushed away from the mean of its 3×3 neighbourhood.
 * Soft focus greys a letter's thin strokes and fills its small counters (`e`, `a`, `8`) and the gaps between digits;
 * the engine then reads `985000` as `59800` or loses a short number beside a table's rule. The page's edge pixels
 * stay as they are.
 */
export function sharpened({ width, height, pixels }: GrayImage): GrayImage {
  const out = new Uint8Array(pixels);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const near = pixels[i - 1]! + pixels[i + 1]! + pixels[i - width]! + pixels[i + width]!;
      const corners = pixels[i - width - 1]! + pixels[i - width + 1]! + pixels[i + width - 1]! + pixels[i + width + 1]!;
      // Weights 4 (the pixel), 2 (its sides), 1 (its corners): a small Gaussian.
      const blurred = (4 * pixels[i]! + 2 * near + corners) / 16;
      const value = Math.round(pixels[i]! + strength * (pixels[i]! - blurred));
      out[i] = value < 0 ? 0 : value > 255 ? 255 : value;
    }
  }
  return { width, height, pixels: out };
}
