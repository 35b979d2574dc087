import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodePgm, findBoxes, parsePgm, readPage, tsvToPages, type GrayImage } from '../extraction/ocr-lines.ts';

/** One word as tesseract's TSV has it: its box, its confidence (0–100) and the engine's block and line. */
interface TsvWord {
  text: string;
  left: number;
  top: number;
  width?: number;
  height?: number;
  conf?: number;
  block?: number;
  line?: number;
}

const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';

function tsv(words: readonly TsvWord[]): string {
  const rows = words.map((word, i) =>
    [
      5,
      1,
      word.block ?? 1,
      1,
      word.line ?? 1,
      i + 1,
      word.left,
      word.top,
      word.width ?? 20 * word.text.length,
      word.height ?? 24,
      word.conf ?? 96,
      word.text,
    ].join('\t'),
  );
  return [header, ...rows].join('\n');
}

/** Words side by side from `left`, a space apart, on the engine's line `line` of block `block`. */
function line(
  text: string,
  left: number,
  top: number,
  options: Omit<TsvWord, 'text' | 'left' | 'top'> = {},
): TsvWord[] {
  const words: TsvWord[] = [];
  let x = left;
  for (const word of text.split(' ')) {
    words.push({ ...options, text: word, left: x, top, width: options.width ?? 14 * word.length });
    x += (options.width ?? 14 * word.length) + 10;
  }
  return words;
}

const textOf = (source: string) =>
  tsvToPages(source)
    .map((page) => page.text)
    .join('\n');

describe('TSV to lines', () => {
  test('cells far apart are separated by a tab, words by a space', () => {
    assert.equal(
      textOf(
        tsv([
          ...line('Telefon', 100, 100),
          ...line('35 06 20 00', 600, 100),
          ...line('Søker (kommune)', 100, 140, { line: 2 }),
        ]),
      ),
      'Telefon\t35 06 20 00\nSøker (kommune)',
    );
  });

  test('a row the engine cut into pieces on a skewed page is one line again, in its place', () => {
    // 1° of skew: a row drops 1.75 px every 100 px. The engine read the end of the first row as a block of its own,
    // after the rest of the page, and cut a word at the piece's edge.
    const slope = 0.0175;
    const source = tsv([
      ...line('Tiltaket skal gje tilsette i he', 100, 100),
      ...line('Målgruppe: Eldre over 80', 100, 150, { line: 2 }),
      ...line('Periode: 2017-08-15 - 2018-06-30', 100, 200, { line: 3 }),
      { text: 'lse-', left: 517, top: Math.round(100 + slope * 417), width: 56, block: 2 },
      ...line('og omsorgstenesta', 583, Math.round(100 + slope * 483), { block: 2 }),
    ]);
    assert.equal(
      textOf(source),
      [
        'Tiltaket skal gje tilsette i helse- og omsorgstenesta',
        'Målgruppe: Eldre over 80',
        'Periode: 2017-08-15 - 2018-06-30',
      ].join('\n'),
    );
  });

  test("a table's rule read as a bar taller than the line neither stays nor moves the label off its row", () => {
    const source = tsv([
      { text: 'Prosjektnavn', left: 223, top: 976, width: 201, height: 28 },
      { text: '|', left: 717, top: 984, width: 2, height: 64 },
      ...line('Pårørendeskole for pårørende til personer med', 736, 989, { block: 2 }),
      ...line('demens', 734, 1022, { block: 2, line: 2 }),
    ]);
    assert.equal(textOf(source), 'Prosjektnavn\tPårørendeskole for pårørende til personer med\ndemens');
  });

  test('words the engine is unsure of are text when they look like words; specks, rules and grain are not', () => {
    const source = tsv([
      // An address the Norwegian model cannot spell (it has no @), an amount, a lone zero: unsure, but text.
      ...line('E-post:', 100, 100),
      { text: 'kari.nordmannEvinje.kommune.no', left: 220, top: 100, width: 420, conf: 21 },
      ...line('Totale kostnader:', 100, 140, { line: 2 }),
      { text: '1050', left: 360, top: 140, width: 60, conf: 3, line: 2 },
      { text: '000', left: 430, top: 140, width: 45, conf: 40, line: 2 },
      { text: '0', left: 100, top: 180, width: 14, conf: 40, line: 3 },
      // Dust read as a letter; a table rule read as letters right across the page; grain read as a short word.
      { text: 'å', left: 700, top: 150, width: 2, height: 2, conf: 80, line: 2 },
      { text: 'NNN', left: 100, top: 220, width: 1300, height: 30, conf: 37, line: 4 },
      { text: 'ee', left: 100, top: 260, width: 30, conf: 20, line: 5 },
      { text: '|', left: 900, top: 100, width: 3, conf: 40 },
    ]);
    assert.equal(textOf(source), 'E-post: kari.nordmannEvinje.kommune.no\nTotale kostnader: 1050 000\n0');
  });

  test("each word of the text keeps the engine's confidence in it, a word joined from pieces the lower one", () => {
    const [page] = tsvToPages(
      tsv([
        ...line('Søknadsbeløp:', 100, 100, { conf: 95 }),
        { text: '250', left: 600, top: 100, width: 45, conf: 93 },
        { text: '0O0', left: 655, top: 100, width: 45, conf: 41 },
        { text: 'kr', left: 710, top: 100, width: 28, conf: 90 },
        // A row cut into pieces inside a word (`Utviklin` `gssenter`): one word, as sure as its less sure piece.
        { text: 'Utviklin', left: 100, top: 140, width: 112, conf: 88, line: 2 },
        { text: 'gssenter', left: 213, top: 140, width: 112, conf: 62, block: 2, line: 1 },
      ]),
    );
    assert.equal(page!.text, 'Søknadsbeløp:\t250 0O0 kr\nUtviklingssenter');
    assert.deepEqual(page!.wordConfidences, [[0.95, 0.93, 0.41, 0.9], [0.62]]);
    assert.equal(page!.confidence, 0.782);
  });
});

/** A white image with ink drawn by `draw(x, y)`. */
function image(width: number, height: number, ink: (x: number, y: number) => boolean): GrayImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = ink(x, y) ? 20 : 245;
  return { width, height, pixels };
}

const inside = (x: number, y: number, left: number, top: number, size: number) =>
  x >= left && x < left + size && y >= top && y < top + size;
/** A square outline two pixels thick. */
const outline = (x: number, y: number, left: number, top: number, size: number) =>
  inside(x, y, left, top, size) && !inside(x, y, left + 2, top + 2, size - 4);
/** A cross inside a square. */
const cross = (x: number, y: number, left: number, top: number, size: number) =>
  inside(x, y, left + 3, top + 3, size - 6) &&
  (Math.abs(x - left - (y - top)) <= 1 || Math.abs(x - left + (y - top) - size + 1) <= 1);
const ring = (x: number, y: number, cx: number, cy: number, r: number) =>
  Math.abs(Math.hypot(x - cx, y - cy) - r) <= 1.2;

describe('checkboxes in the page image', () => {
  // An empty box, a ticked one, the dot of a bold i (a solid square) and an O (a ring), each about a letter high.
  const page = image(
    260,
    60,
    (x, y) =>
      outline(x, y, 20, 20, 20) ||
      outline(x, y, 80, 20, 20) ||
      cross(x, y, 80, 20, 20) ||
      inside(x, y, 140, 25, 13) ||
      ring(x, y, 200, 30, 10),
  );

  test('a square outline about a letter high is a box, ticked when there is ink inside; dots and letters are not', () => {
    const boxes = findBoxes(page, 24).map(({ left, top, ticked }) => ({ left, top, ticked }));
    assert.deepEqual(boxes, [
      { left: 20, top: 20, ticked: false },
      { left: 80, top: 20, ticked: true },
    ]);
  });

  test('the boxes become ☐ and ☒ in their line, in place of what the engine made of them', async () => {
    const source = tsv([
      ...line('Plan?', 0, 18, { width: 18 }).map((word) => ({ ...word, left: 230 - 18 })),
      { text: 'O', left: 20, top: 18, width: 20 },
      { text: 'Ja', left: 46, top: 18, width: 28 },
      { text: 'QNei', left: 80, top: 18, width: 56 },
    ]);
    const [read] = await readPage({ tsv: source, firstPage: 1, image: page });
    assert.equal(read?.text, '☐ Ja ☒ Nei\tPlan?');
  });
});

test('squares holding a letter or digit read surely are the cells of a comb field, not ticked boxes', async () => {
  const comb = image(140, 60, (x, y) =>
    [20, 44, 68, 92].some(
      (left) => outline(x, y, left, 20, 22) || (x >= left + 9 && x <= left + 11 && y >= 25 && y <= 37),
    ),
  );
  const source = tsv(
    ['0', '8', '3', '4'].map((digit, i) => ({
      text: digit,
      left: 25 + 24 * i,
      top: 21,
      width: 12,
      height: 20,
      conf: 93,
    })),
  );
  const [read] = await readPage({ tsv: source, firstPage: 1, image: comb });
  assert.equal(read?.text.replace(/ /g, ''), '0834');
});

describe('reading again from the page image', () => {
  const page = image(900, 200, () => false);
  const gap = 24;

  test('an e-mail address is read again with a model that has @, and taken when it reads like the first reading', async () => {
    const source = tsv([
      ...line('E-post:', 100, 100),
      { text: 'kari.nordmannEvinje.kommune.no', left: 220, top: 100, width: 420, conf: 30 },
    ]);
    const purposes: string[] = [];
    const reread = async (stacked: GrayImage, purpose: string) => {
      purposes.push(purpose);
      // The crop's reading, where the crop stands in the stacked image (a letter height from its edges).
      const box = { left: gap, top: gap, width: stacked.width - 2 * gap, height: stacked.height - 2 * gap };
      return tsv([{ text: purpose === 'addresses' ? 'kari.nordmann@vinje.kommune.no' : 'x', ...box, conf: 90 }]);
    };
    const [read] = await readPage({ tsv: source, firstPage: 1, image: page, reread });
    assert.equal(read?.text, 'E-post: kari.nordmann@vinje.kommune.no');
    assert.deepEqual(purposes, ['addresses']);

    const elsewhere = async (stacked: GrayImage) =>
      tsv([
        {
          text: 'ola@example.com',
          left: gap,
          top: gap,
          width: stacked.width - 2 * gap,
          height: stacked.height - 2 * gap,
          conf: 90,
        },
      ]);
    const [kept] = await readPage({ tsv: source, firstPage: 1, image: page, reread: elsewhere });
    assert.equal(kept?.text, 'E-post: kari.nordmannEvinje.kommune.no');
  });

  test('a word the engine was unsure of is read again on its row, and taken when the second reading is surer', async () => {
    const source = tsv([
      ...line('Postnummer og stad 3812', 100, 100),
      { text: 'me', left: 440, top: 90, width: 40, height: 44, conf: 36 },
    ]);
    const second = (conf: number) => async (stacked: GrayImage) => {
      // The crop holds the word with the words before it on its line: the doubtful word stands at its end.
      return tsv([{ text: 'Akkerhaugen', left: stacked.width - gap - 42, top: gap + 10, width: 40, height: 24, conf }]);
    };
    const [surer] = await readPage({ tsv: source, firstPage: 1, image: page, reread: second(96) });
    assert.equal(surer?.text, 'Postnummer og stad 3812 Akkerhaugen');
    const [unsure] = await readPage({ tsv: source, firstPage: 1, image: page, reread: second(40) });
    assert.equal(unsure?.text, 'Postnummer og stad 3812 me');
  });

  test('a failed second reading leaves the first', async () => {
    const source = tsv([
      ...line('E-post:', 100, 100),
      { text: 'kari.nordmannEvinje.kommune.no', left: 220, top: 100, width: 420, conf: 30 },
    ]);
    const [read] = await readPage({
      tsv: source,
      firstPage: 1,
      image: page,
      reread: () => Promise.reject(new Error('tesseract died')),
    });
    assert.equal(read?.text, 'E-post: kari.nordmannEvinje.kommune.no');
  });
});

test('PGM images as pdftoppm writes them, and back', () => {
  const original: GrayImage = { width: 3, height: 2, pixels: Uint8Array.from([0, 128, 255, 1, 2, 3]) };
  const bytes = encodePgm(original);
  const parsed = parsePgm(bytes);
  assert.deepEqual({ ...parsed, pixels: [...parsed!.pixels] }, { ...original, pixels: [...original.pixels] });
  assert.equal(parsePgm(Buffer.from('P6\n3 2\n255\n')), undefined);
  assert.equal(parsePgm(Buffer.from('P5\n300 200\n255\nshort')), undefined);
});
