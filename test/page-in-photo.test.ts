import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharpened } from '../extraction/focus.ts';
import type { GrayImage } from '../extraction/ocr-lines.ts';
import { pageInPhoto } from '../extraction/page-in-photo.ts';

const [pageWidth, pageHeight] = [400, 560];
/** The rows of the page's lines of "text": black bars across most of the page, 4 px high. */
const bars = [100, 200, 300, 400];

/** A printed page: light grey paper with black bars across it. */
function page(): GrayImage {
  const pixels = new Uint8Array(pageWidth * pageHeight).fill(235);
  for (const top of bars)
    for (let y = top; y < top + 4; y++) pixels.fill(20, y * pageWidth + 60, y * pageWidth + pageWidth - 60);
  return { width: pageWidth, height: pageHeight, pixels };
}

/**
 * The page photographed: each photo pixel looks at the page point its corners' bilinear blend gives (corners as
 * fractions of the page; beyond 0–1 is `surround`).
 */
function photo(corners: ReadonlyArray<readonly [number, number]>, surround: number): GrayImage {
  const source = page();
  const pixels = new Uint8Array(pageWidth * pageHeight);
  for (let y = 0; y < pageHeight; y++) {
    const v = y / pageHeight;
    for (let x = 0; x < pageWidth; x++) {
      const u = x / pageWidth;
      const blend = (axis: 0 | 1) =>
        (1 - u) * (1 - v) * corners[0]![axis] +
        u * (1 - v) * corners[1]![axis] +
        (1 - u) * v * corners[2]![axis] +
        u * v * corners[3]![axis];
      const [sx, sy] = [Math.round(blend(0) * pageWidth), Math.round(blend(1) * pageHeight)];
      pixels[y * pageWidth + x] =
        sx >= 0 && sy >= 0 && sx < pageWidth && sy < pageHeight ? source.pixels[sy * pageWidth + sx]! : surround;
    }
  }
  return { width: pageWidth, height: pageHeight, pixels };
}

/** Where a bar is at column `x`: the middle of the dark pixels in that column near `around`. */
function barAt(image: GrayImage, x: number, near: number): number {
  const around = Math.round(near);
  const rows: number[] = [];
  for (let y = Math.max(0, around - 40); y < Math.min(image.height, around + 40); y++)
    if (image.pixels[y * image.width + x]! < 128) rows.push(y);
  assert.ok(rows.length, `no bar near row ${around} at column ${x}`);
  return (rows[0]! + rows.at(-1)!) / 2;
}

describe('the page in a photo', () => {
  test('a page photographed in perspective on a table comes out square, its lines level', () => {
    const tilted = photo(
      [
        [-0.05, -0.01],
        [1.01, -0.06],
        [-0.02, 1.04],
        [1.05, 1.02],
      ],
      80,
    );
    // In the photo the lines slope: a bar's ends differ by several pixels.
    const [left, right] = [Math.round(0.2 * pageWidth), Math.round(0.8 * pageWidth)];
    assert.ok(Math.abs(barAt(tilted, left, 200) - barAt(tilted, right, 200)) > 8);
    const flat = pageInPhoto(tilted);
    assert.ok(flat, 'the page is found');
    // The page as large as the photo shows it (a little smaller than the photo), in its proportions.
    assert.ok(flat.height > 0.9 * pageHeight && flat.height < pageHeight, `height ${flat.height}`);
    assert.ok(Math.abs(flat.width / flat.height - pageWidth / pageHeight) < 0.02, `${flat.width} × ${flat.height}`);
    const scale = flat.height / pageHeight;
    const found = bars.map((bar) => {
      const [a, b] = [
        barAt(flat, Math.round(0.2 * flat.width), bar * scale),
        barAt(flat, Math.round(0.8 * flat.width), bar * scale),
      ];
      assert.ok(Math.abs(a - b) <= 1.5, `bar at ${bar}: ${a} on the left, ${b} on the right`);
      return a;
    });
    // Evenly spaced, as on the page: the perspective's foreshortening is gone too.
    for (let i = 1; i < found.length; i++) {
      const spacing = found[i]! - found[i - 1]!;
      assert.ok(Math.abs(spacing - 100 * scale) <= 2, `bars ${spacing} apart`);
    }
    for (const corner of [0, flat.width - 1, (flat.height - 1) * flat.width, flat.pixels.length - 1])
      assert.ok(flat.pixels[corner]! > 200, 'no table in the corners');
  });

  test('a side that runs off the photo is the photo’s edge', () => {
    // The page's left and top edges are beyond the photo; the table shows on the right and below.
    const flat = pageInPhoto(
      photo(
        [
          [0.02, 0.02],
          [1.04, 0.0],
          [0.0, 1.05],
          [1.03, 1.04],
        ],
        90,
      ),
    );
    assert.ok(flat);
    for (const corner of [0, flat.width - 1, (flat.height - 1) * flat.width, flat.pixels.length - 1])
      assert.ok(flat.pixels[corner]! > 200, 'no table in the corners');
  });

  test('a scan, with nothing around its page, is left as it is', () => {
    assert.equal(pageInPhoto(page()), undefined);
    // A scanner's lid is white: a slightly skewed page on white.
    assert.equal(
      pageInPhoto(
        photo(
          [
            [-0.02, 0.01],
            [1.02, -0.01],
            [-0.01, 1.01],
            [1.01, 0.99],
          ],
          255,
        ),
      ),
      undefined,
    );
  });
});

describe('soft focus', () => {
  test('a blurred stroke comes out darker and its edges steeper', () => {
    // A 3-pixel stroke blurred to grey over 7 pixels, as a phone's soft focus leaves a thin letter stroke.
    const profile = [235, 235, 200, 150, 110, 100, 110, 150, 200, 235, 235];
    const width = profile.length;
    const pixels = new Uint8Array(width * 5);
    for (let y = 0; y < 5; y++) pixels.set(profile, y * width);
    const sharp = sharpened({ width, height: 5, pixels });
    const row = [...sharp.pixels.subarray(2 * width, 3 * width)];
    assert.ok(row[5]! < 100, `the stroke's middle: ${row[5]}`);
    assert.ok(row[3]! - row[4]! > profile[3]! - profile[4]!, 'the edge is steeper');
    assert.ok(row[0]! >= 235 && row[1]! >= 235, 'the paper stays paper');
  });
});
