import type { GrayImage } from './ocr-lines.ts';

/** The photo is searched for the page's edges at this fraction of its size: enough for an edge, fast. */
const shrink = 4;
/** A side's edge is looked for this far into the photo (a fraction of its width or height). */
const searchDepth = 0.18;
/** Paper must be this much brighter than what lies around it for its edge to count. */
const minContrast = 30;
/** A side is taken as found when its edge is seen on this fraction of the lines across it, and they agree. */
const minSeen = 0.25;
/** How far (photo pixels) a page's edge is blurred into the table: the page is taken from this far inside it. */
const edgeWidth = 4;
/** Edge points this far (photo pixels) off their side's line are something else: a dark mark near the edge. */
const offLine = 6;

interface Point {
  x: number;
  y: number;
}

/** A line `across = intercept + slope · along`: x by y for the left and right sides, y by x for top and bottom. */
interface SideLine {
  intercept: number;
  slope: number;
}

type Side = 'top' | 'bottom' | 'left' | 'right';

/**
 * A phone's photo of a page as if scanned: the page found against what lies around it (a table, darker than paper)
 * and its perspective taken out, the page's four corners mapped to the corners of the image. In perspective a page's
 * lines of text run at slopes that change across it; the engine then cuts rows into pieces, runs neighbouring rows
 * into each other and reads the letters of a slanted line worse. A side that runs off the photo is taken to be the
 * photo's own edge. A page with nothing darker around it (a scanner's white lid) comes back unchanged (undefined).
 */
export function pageInPhoto(image: GrayImage): GrayImage | undefined {
  const small = shrunk(image);
  const sides = new Map<Side, SideLine>();
  for (const side of ['top', 'bottom', 'left', 'right'] as const) {
    const line = sideLine(small, side);
    if (line) sides.set(side, line);
  }
  if (!sides.size) return undefined;
  const { width, height } = image;
  // In the photo's pixels (from the small image's: its pixel i covers shrink·i … shrink·i + shrink − 1), a little
  // inside the page: the edge itself, blurred, is half table.
  const scale = (line: SideLine | undefined, border: number, inward: 1 | -1): SideLine =>
    line
      ? {
          intercept: shrink * line.intercept + (shrink - 1) / 2 - ((shrink - 1) / 2) * line.slope + inward * edgeWidth,
          slope: line.slope,
        }
      : { intercept: border, slope: 0 };
  const top = scale(sides.get('top'), 0, 1);
  const bottom = scale(sides.get('bottom'), height - 1, -1);
  const left = scale(sides.get('left'), 0, 1);
  const right = scale(sides.get('right'), width - 1, -1);
  const corners = [crossing(top, left), crossing(top, right), crossing(bottom, right), crossing(bottom, left)];
  if (corners.some((corner) => !corner)) return undefined;
  const [topLeft, topRight, bottomRight, bottomLeft] = corners as Point[];
  if (!plausible([topLeft!, topRight!, bottomRight!, bottomLeft!], width, height)) return undefined;
  const pageWidth = Math.round((distance(topLeft!, topRight!) + distance(bottomLeft!, bottomRight!)) / 2);
  const pageHeight = Math.round((distance(topLeft!, bottomLeft!) + distance(topRight!, bottomRight!)) / 2);
  const toPhoto = homography(
    [
      { x: 0, y: 0 },
      { x: pageWidth - 1, y: 0 },
      { x: pageWidth - 1, y: pageHeight - 1 },
      { x: 0, y: pageHeight - 1 },
    ],
    [topLeft!, topRight!, bottomRight!, bottomLeft!],
  );
  if (!toPhoto) return undefined;
  return warped(image, toPhoto, pageWidth, pageHeight);
}

/** The image at 1/`shrink` of its size, each pixel the mean of its block: the grain and the letters' strokes fade. */
function shrunk({ width, height, pixels }: GrayImage): GrayImage {
  const [w, h] = [Math.floor(width / shrink), Math.floor(height / shrink)];
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < shrink; dy++) {
        const row = (y * shrink + dy) * width + x * shrink;
        for (let dx = 0; dx < shrink; dx++) sum += pixels[row + dx]!;
      }
      out[y * w + x] = Math.round(sum / (shrink * shrink));
    }
  }
  return { width: w, height: h, pixels: out };
}

/**
 * One side of the page: on each line across that side (a row for the left side), walking in from the photo's edge,
 * where the dark surround gives way to paper. Lines whose photo edge is already paper (the page runs off there) or
 * whose surround is not clearly darker than the paper beyond it give no point. The side is the robust line through
 * the points, when enough lines gave one and most of them lie on it.
 */
function sideLine(image: GrayImage, side: Side): SideLine | undefined {
  const { width, height, pixels } = image;
  const vertical = side === 'left' || side === 'right';
  const [along, across] = vertical ? [height, width] : [width, height];
  const depth = Math.round(across * searchDepth);
  // In from the side: `step` pixels at position `i` across, on line `j` along the side.
  const at = (j: number, i: number) => {
    const a = side === 'right' || side === 'bottom' ? across - 1 - i : i;
    return vertical ? pixels[j * width + a]! : pixels[a * width + j]!;
  };
  const points: Point[] = [];
  const margin = Math.round(along * 0.08);
  const lines = along - 2 * margin;
  for (let j = margin; j < along - margin; j++) {
    // The photo's outermost pixel: a strip of table may be only a few pixels wide.
    const surround = at(j, 0);
    // The paper: the brightest stretch just beyond the search depth (its margin, beside the text).
    let paper = 0;
    for (let i = depth; i < Math.min(across, depth + 6); i++) paper = Math.max(paper, at(j, i));
    if (paper - surround < minContrast) continue;
    const level = (surround + paper) / 2;
    let i = 1;
    // The surround runs on from the photo's edge, a little uneven but never as bright as the paper.
    while (i < depth && at(j, i) < level) i++;
    if (i >= depth) continue;
    const before = at(j, i - 1);
    const edge = i - 1 + (level - before) / Math.max(1, at(j, i) - before);
    const position = side === 'right' || side === 'bottom' ? across - 1 - edge : edge;
    points.push({ x: j, y: position });
  }
  if (points.length < minSeen * lines) return undefined;
  let line = theilSen(points);
  const inliers = points.filter((p) => Math.abs(p.y - (line.intercept + line.slope * p.x)) <= offLine / shrink);
  if (inliers.length < 0.8 * points.length) return undefined;
  line = leastSquares(inliers);
  return line;
}

/** The median slope between pairs of points (every pair of a sample, as it takes), and the median intercept. */
function theilSen(points: readonly Point[]): SideLine {
  const slopes: number[] = [];
  const stride = Math.max(1, Math.floor(points.length / 60));
  for (let a = 0; a < points.length; a += stride) {
    for (let b = a + stride; b < points.length; b += stride) {
      const [p, q] = [points[a]!, points[b]!];
      if (q.x !== p.x) slopes.push((q.y - p.y) / (q.x - p.x));
    }
  }
  const slope = median(slopes);
  return { slope, intercept: median(points.map((p) => p.y - slope * p.x)) };
}

function leastSquares(points: readonly Point[]): SideLine {
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  let [sxy, sxx] = [0, 0];
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** Where a horizontal side (y by x) crosses a vertical one (x by y). */
function crossing(horizontal: SideLine, vertical: SideLine): Point | undefined {
  // y = h0 + h1·x, x = v0 + v1·y.
  const determinant = 1 - horizontal.slope * vertical.slope;
  if (Math.abs(determinant) < 1e-6) return undefined;
  const y = (horizontal.intercept + horizontal.slope * vertical.intercept) / determinant;
  return { x: vertical.intercept + vertical.slope * y, y };
}

/**
 * A page, not a fold or a dark band: the corners in order round a convex shape that covers most of the photo and
 * does not reach far beyond it, its sides within a few degrees of the photo's.
 */
function plausible(corners: readonly Point[], width: number, height: number): boolean {
  const beyond = 0.08;
  if (
    corners.some(
      (c) =>
        c.x < -beyond * width || c.y < -beyond * height || c.x > (1 + beyond) * width || c.y > (1 + beyond) * height,
    )
  )
    return false;
  let area = 0;
  for (let i = 0; i < 4; i++) {
    const [a, b, c] = [corners[i]!, corners[(i + 1) % 4]!, corners[(i + 2) % 4]!];
    const turn = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    if (turn <= 0) return false;
    area += a.x * b.y - b.x * a.y;
  }
  return area / 2 >= 0.5 * width * height;
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The projective map taking each of four points to its counterpart, as the 3×3 matrix's eight free entries
 * (row by row, the last entry 1): solved from the eight equations the point pairs give.
 */
function homography(from: readonly Point[], to: readonly Point[]): number[] | undefined {
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [{ x, y }, { x: u, y: v }] = [from[i]!, to[i]!];
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) return undefined;
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const factor = rows[r]![col]! / rows[col]![col]!;
      for (let c = col; c < 9; c++) rows[r]![c]! -= factor * rows[col]![c]!;
    }
  }
  return rows.map((row, i) => row[8]! / row[i]!);
}

/** The page: each of its pixels sampled (bilinear) where the map puts it in the photo; beyond the photo, paper. */
function warped(image: GrayImage, map: readonly number[], width: number, height: number): GrayImage {
  const [a, b, c, d, e, f, g, h] = map as [number, number, number, number, number, number, number, number];
  const { width: w, height: ht, pixels } = image;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const z = g * x + h * y + 1;
      const sx = (a * x + b * y + c) / z;
      const sy = (d * x + e * y + f) / z;
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      let value = 255;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < ht) {
        const [fx, fy] = [sx - x0, sy - y0];
        const i = y0 * w + x0;
        const upper = pixels[i]! * (1 - fx) + pixels[i + 1]! * fx;
        const lower = pixels[i + w]! * (1 - fx) + pixels[i + w + 1]! * fx;
        value = upper * (1 - fy) + lower * fy;
      }
      out[y * width + x] = Math.round(value);
    }
  }
  return { width, height, pixels: out };
}

function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
