import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBlackAndWhite, upscaled, withoutSpecks, withoutStreaks } from '../extraction/fax.ts';
import type { GrayImage } from '../extraction/ocr-lines.ts';

/** A white page `width` × `height` with the black pixels `ink` puts there. */
function page(width: number, height: number, ink: (x: number, y: number) => boolean): GrayImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = ink(x, y) ? 0 : 255;
  return { width, height, pixels };
}

const black = (image: GrayImage, x: number, y: number) => image.pixels[y * image.width + x]! < 128;

/** A letter-like stroke: a bar 2 pixels wide from row 20 to row 40 at column 50. */
const stroke = (x: number, y: number) => x >= 50 && x < 52 && y >= 20 && y < 40;
/** A table's rule: row 60, across the middle of the page but not into its margins. */
const rule = (x: number, y: number) => y === 60 && x >= 20 && x < 180;

describe('a fax page cleaned before it is read', () => {
  test('a black and white page is told from a grey scan', () => {
    assert.equal(isBlackAndWhite(page(100, 100, stroke)), true);
    const grey = page(100, 100, stroke);
    grey.pixels.forEach((value, i) => (grey.pixels[i] = value === 255 ? 240 + (i % 15) : value));
    assert.equal(isBlackAndWhite(grey), false);
  });

  test('a streak across the whole page goes; the strokes it crosses and a table rule stay', () => {
    // Row 30 is a streak: ink along most of it, margins included, as a fax machine draws one.
    const streaked = page(200, 100, (x, y) => stroke(x, y) || rule(x, y) || (y === 30 && x % 5 !== 0));
    const clean = withoutStreaks(streaked);
    assert.equal(black(clean, 10, 30), false, 'the streak in the margin');
    assert.equal(black(clean, 120, 30), false, 'the streak between words');
    assert.equal(black(clean, 50, 30), true, 'the stroke the streak crosses');
    assert.equal(black(clean, 100, 60), true, 'the rule');
    assert.equal(black(clean, 50, 25), true);
  });

  test('a column streak goes the same way', () => {
    const streaked = page(100, 200, (x, y) => (y >= 50 && y < 52 && x >= 20 && x < 80) || (x === 70 && y % 4 !== 0));
    const clean = withoutStreaks(streaked);
    assert.equal(black(clean, 70, 5), false);
    assert.equal(black(clean, 70, 100), false);
    assert.equal(black(clean, 70, 50), true, 'the stroke the streak crosses');
    assert.equal(black(clean, 40, 51), true);
  });

  test('a black border thicker than a streak is left as it is', () => {
    const bordered = page(100, 100, (_, y) => y < 8);
    assert.deepEqual(withoutStreaks(bordered), bordered);
  });

  test('a lone black dot goes and a lone white hole in a stroke is filled; a full stop and a thin stroke stay', () => {
    const bold = (x: number, y: number) => x >= 70 && x < 73 && y >= 20 && y < 40;
    const noisy = page(100, 100, (x, y) => {
      if (x === 80 && y === 80) return true; // a speck
      if (x === 71 && y === 30) return false; // a hole in the bold stroke
      if (x >= 60 && x < 62 && y >= 38 && y < 40) return true; // a full stop, 2 × 2
      if (x === 40 && y >= 20 && y < 40) return true; // a stroke one pixel wide
      return stroke(x, y) || bold(x, y);
    });
    const clean = withoutSpecks(noisy);
    assert.equal(black(clean, 80, 80), false);
    assert.equal(black(clean, 71, 30), true);
    assert.equal(black(clean, 60, 38) && black(clean, 61, 39), true);
    assert.equal(black(clean, 40, 30), true);
    assert.equal(black(clean, 41, 30) || black(clean, 39, 30), false);
  });

  test('scaled up, a page keeps its shape and gets grey edges', () => {
    const scaled = upscaled(page(100, 100, stroke), 2);
    assert.equal(scaled.width, 200);
    assert.equal(scaled.height, 200);
    assert.equal(black(scaled, 102, 60), true);
    assert.equal(black(scaled, 90, 60), false);
    assert.ok(scaled.pixels.some((value) => value > 0 && value < 255));
  });
});
