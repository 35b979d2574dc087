import type { GrayImage } from './ocr-lines.ts';

/** Blocks in which the paper's brightness is taken: larger than a letter, smaller than a shadow. */
const block = 32;
/** Paper whose brightest and darkest blocks differ by more than this is unevenly lit (a photo, a shadow). */
const unevenBy = 40;

/**
 * A page photographed under uneven light, or with a shadow across it, as if evenly lit: each pixel divided by the
 * paper's brightness around it (the brightest pixels of each block, smoothed and interpolated). Tesseract binarises a
 * page with one threshold, which loses the text in the shadow and leaves the bright part grey. Evenly lit scans come
 * back unchanged (undefined), so that what was tuned on them stays as it was.
 */
export function evenLighting(image: GrayImage): GrayImage | undefined {
  const { width, height, pixels } = image;
  const columns = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const paper = new Float32Array(columns * rows);
  const histogram = new Uint32Array(256);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      histogram.fill(0);
      let count = 0;
      for (let y = by * block; y < Math.min(height, (by + 1) * block); y++) {
        for (let x = bx * block; x < Math.min(width, (bx + 1) * block); x++) {
          histogram[pixels[y * width + x]!]!++;
          count++;
        }
      }
      // The 90th percentile: the paper, not the ink on it nor a stray bright speck.
      let seen = 0;
      let level = 255;
      while (level > 0 && (seen += histogram[level]!) < count * 0.1) level--;
      paper[by * columns + bx] = level;
    }
  }
  const smoothed = new Float32Array(paper.length);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [x, y] = [bx + dx, by + dy];
          if (x < 0 || y < 0 || x >= columns || y >= rows) continue;
          sum += paper[y * columns + x]!;
          n++;
        }
      }
      smoothed[by * columns + bx] = sum / n;
    }
  }
  let [lightest, darkest] = [0, 255];
  for (const level of smoothed) [lightest, darkest] = [Math.max(lightest, level), Math.min(darkest, level)];
  if (lightest - darkest <= unevenBy) return undefined;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(columns - 1, Math.max(0, (x + 0.5) / block - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(columns - 1, x0 + 1);
      const tx = fx - x0;
      const background =
        (smoothed[y0 * columns + x0]! * (1 - tx) + smoothed[y0 * columns + x1]! * tx) * (1 - ty) +
        (smoothed[y1 * columns + x0]! * (1 - tx) + smoothed[y1 * columns + x1]! * tx) * ty;
      out[y * width + x] = Math.min(255, Math.round((pixels[y * width + x]! * 255) / Math.max(24, background)));
    }
  }
  return { width, height, pixels: out };
}
