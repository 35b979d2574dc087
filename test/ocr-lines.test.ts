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

  test("an O or 0 read in a dotted rule is no box: on a photo's slanting row the value still finds its label", () => {
    // The signature rows of a phone's photo of the form, as tesseract read them: the date sits in the engine's line
    // after the place, the label `Dato:` in a block of its own with the dotted rule read as `0` one pixel high.
    const source = tsv([
      { text: 'Sted:', left: 237, top: 1672, width: 76, height: 24, block: 46, line: 7 },
      { text: 'Drammen', left: 739, top: 1655, width: 132, height: 21, block: 46, line: 7 },
      { text: '6.', left: 740, top: 1688, width: 21, height: 21, block: 46, line: 8 },
      { text: 'mars', left: 775, top: 1690, width: 65, height: 17, block: 46, line: 8 },
      { text: '2017', left: 851, top: 1682, width: 66, height: 28, block: 46, line: 8 },
      { text: 'Dato:', left: 233, top: 1703, width: 83, height: 36, block: 54, line: 1 },
      { text: '0', left: 626, top: 1719, width: 30, height: 1, conf: 3, block: 54, line: 1 },
      { text: 'Underskrift', left: 229, top: 1729, width: 186, height: 43, conf: 81, block: 54, line: 2 },
      { text: '(navn):', left: 422, top: 1726, width: 106, height: 38, block: 54, line: 2 },
      { text: 'Halvor', left: 741, top: 1719, width: 86, height: 30, block: 54, line: 2 },
      { text: 'Vestøl', left: 836, top: 1714, width: 83, height: 29, conf: 77, block: 54, line: 2 },
    ]);
    assert.equal(textOf(source), 'Sted:\tDrammen\nDato:\t6. mars 2017\nUnderskrift (navn):\tHalvor Vestøl');

    // A fax's tick the engine did read, given a box one pixel high, stays.
    const fax = tsv([
      { text: 'x', left: 173, top: 1059, width: 17, height: 1, conf: 48 },
      ...line('Oppstart av nytt', 201, 1059, { height: 25 }),
    ]);
    assert.equal(textOf(fax), 'x Oppstart av nytt');
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

/** An image from rows of grey levels written in hex, two digits a pixel: a crop of a real page. */
function crop(rows: readonly string[]): GrayImage {
  const width = rows[0]!.length / 2;
  return { width, height: rows.length, pixels: Uint8Array.from(Buffer.from(rows.join(''), 'hex')) };
}

test("a scan's soft corners and a photo's faint lines still outline a box; letters with straight edges do not", () => {
  // Crops of the tuning corpus's pages: an office scan (200 dpi grey; one corner pixel too light), a phone's photo
  // evenly lit (an empty box whose right side fades to grey, and the ticked box below it).
  const officeScan = crop([
    'fefbfffefbfcfdfdfffffdfffdfffffffffff8fbfafffffff8',
    'fdfffffffffffffffff6fffffffcfffffff7f7fffffffff9fc',
    'fff8fff6d9dae5e0e0dfe1e3e4e8e7ebe8e2e8e4eefdf8fdfb',
    'fffff5b04a4e515d5b626164646974716e737f7991c3fffbf5',
    'ffffe78c1f787f777c7b7a666b67635c58545d3e247ffbfcff',
    'ffffed8a3de1f3eff6f2f8ecf0f3ebf5ece4e8bf5284fbffff',
    'ffffe58341edfafdfffffbfbfffffbfbfffffec95386ffffff',
    'ffffec8250ebfffff9fffafcfffffffcfdffffc4568bfffffc',
    'fffbeb834cf2f7fefffffffffffffefffcfeffc4548ffeffff',
    'f9fde47456f0fefff8fafffff9fffffffffffdc14c97fff7ff',
    'fbffe1785df0fffdfbfef8fffffdffffffffffbd5992fffbff',
    'fefae07062f1fffffbfefffbfffffcf6fffbfcbc559cfffdff',
    'fdffeb7163f2fffefffffff8fcfffffffbfffabb5597fef6fe',
    'fffae46462f8fdfffffffbfdfffffdffffffffbb4d98fff6fe',
    'fffedd706cf0f8fefcfffdfffffbfffdf6faffb55c9fffffff',
    'faffe56a69f5fffafffefcfffafffffffffeffaf55a4f9ffff',
    'fefee35e6eeffefffffdfffffff9fff9f8fffcb651a4fdfeff',
    'feffdc5d72fcfff9f8f7fefefffffcffffffffac50a8fcfffa',
    'f9ffda5d7cf8fffffefff9fffafcfdfff7ffffa954aafbffff',
    'fffde05c64bccecfd4d5d1cfd1dfd8d4d4e1de9649adf8fffa',
    'ffffdd5c1e42444345475753505e595b605e6c483daaf8ffff',
    'fbfff0bda399959787847e7d7a78746563645f5c72c7ffffff',
    'fffffefffcfffffcf8fff8fffff6fefefffff8fffffef6ffff',
    'fff8fffffffcfffffcfffffffffffefbfefffffffcfefbfffa',
    'fffefffcfffffffffcfffdfffffffffffffdfcf8fffff9fffb',
  ]);
  const photoEmpty = crop([
    'fff4fdfff7f7f5fef5f6fef6f8f8fbf8fffffcfffafafdf5',
    'fff5faf8f4fbf7fbfffffff6f0f8f6f8f7f3f3fef9fffafc',
    'f9ffffe4e9efe8e7efeaebe8e2e9ebe8f4e0e6e7f2f4f9f4',
    'f4faffbe90908a89888e969191909c969f97969fb3faf7ff',
    'fffadc88515c686862627067706a716d6268734d5ae4f4fa',
    'fdf4d47f68a4c4bcb7bdbdbcc0bdb7b7adb8b08153e4f2ff',
    'fdf2d68373cdf0f5f2edf3fbf4ebfbf3f3f9fcaf9ae6f8f7',
    'f4f5d47777cdf0f5fef9fcf8fefcfbf7f4f7ffaa95effff5',
    'ffffcc7a78cffff9f1eef4fff7fcfffafafdf7b897e2f5fd',
    'f1f8d97078d5fafff5f6fbfef4f3fff9f9fffc629ae5f0f2',
    'fafbcc7582ddf3fdf9f4fffff3f7f9eff9faf2669fecf2f7',
    'fcf2d46b83d4f5feeef6fffbf1fcf7f9f2f4b068a3e9f3fa',
    'fbffd2707de0fdfbfcf4f9fef4f3f4fdfdfdab5eaaeff7f3',
    'f5f3d17588d8fff5fff8fcf6fff9fdf2f2f5a758a2eaf7fe',
    'fdf0d26d7bddfef6f1f6fcfcf9fdfceef1f1a35ea0effeff',
    'f3f0c57381e2f9fffcf0f3f4fcf7fceffdfcab63ade4f6fe',
    'f7fec77281e6f5fff9f7fff9fcf2f7f7f4f4aa61a5e5f8fa',
    'f7ffcf738ce6f3fff4f9f4ffeffcfffaf7f8a86baaf3f6fb',
    'f2facc6a7dcadee3dddedbe9e3e1dfdcd6e19758a5f8f6f6',
    'fbfdd2683f687d8375757b83818a8f7f878d6553aef3f0fe',
    'f8f3e091676a736e66707569656d686e7471657cb9f0f0f9',
    'fefef6e5ded6d0cad6cecdc8cdcec8c8ccc9bed6e7f3f0fe',
    'f5f5f6fcfffffcf6f3f4f7fff9f7fcfaf5fffffffff3f0f5',
    'f2f9fdfef6fff7f6f7fafaf4eef1f5fff5fafaf5f6f5f3fc',
  ]);
  const photoTicked = crop([
    'f8f3fbfff5fbfff1f9f4fdf9f4fbeefefef2faf9fdf4fff7',
    'f8fdf3fafffffbfdfbf6f9f9f6fbf1fffff7fcfafcfdfff2',
    'fffffff3e6dcd9dae4e9e7e1e4e2eae9efe2e7e5e8edfcf5',
    'f5f8ffe6ab747177797c7581877f8782897f8d8591cefafd',
    'f3f5f3e06f3c6c70706f6f706a6d70656370664949a2edf8',
    'f7f0ffdc6d5bbfd2d9d7d2d4d5d2c5d0cacdc5884b99eaf3',
    'f8f0f3e16c74bdadd4fbf6f3f4fef4f7cabed6ab5999ebfa',
    'fffff5db5d688e4b89e2fbfefbf7f9be687ac5a2569cf3fb',
    'fdf8f1de67e3c0534694e1fbfffacb6a3e88e7a954a4f2f2',
    'f2fbfad45fe3eea95d4896ddefc560467acbf4a954a5f2f2',
    'fffaf9dc62eeffe9b0553b8eab66397bc8efffa656a2f3fb',
    'f8fef8d975e7fcf3f1b6553b413c7ad3edf2f3a254a7f5fb',
    'f1ffffd96debf8f3f4e778150a43b8ecf8f7fda756a7f3f5',
    'fffef3636de9f4feecbd5027243692e5f8f3f3a75ca7faff',
    'fef8fe6270ecf6f4bd5039859251439ae8f3f5a14ea9f8ff',
    'fef3fe5d6de9ecb6493489e0efb1514b9ce8f3a556fff5f5',
    'f1f9d25e6be2b85d368fd5f9ffe8ae5b4ba1e6a958fffef3',
    'fbf9d5566fdc924e8adffcfffcf5f2ac5668d39f54fffbf1',
    'f6f8d95d78e2c2a8d8f7f9fffafaffe8b4afe09fa0fffff1',
    'f1efd95a5bd0c8d2d8d7d6ddd3d8dbd0d8c9d98fa7fff6f1',
    'fbecd2553766706b626a756e6a706b6970757641acf0f6f6',
    'f9f9ea9c7575776b737772737b6e786b66706973c2f0fffb',
    'f9fff9ece2ece5dfdae2dfe8dae8e3d4d4d8cfd3e6f4fcf8',
    'fcfbfbf7f4f6fff9f2fdfcfdf7fff8fdfffafaf6f5f6f1f8',
    'fef1fffffcf2fcfafffdf4faf2f5f7f3f5fbf3f0fefef8f3',
  ]);
  const found = (page: GrayImage) => findBoxes(page, 25).map(({ left, top, ticked }) => ({ left, top, ticked }));
  assert.deepEqual(found(officeScan), [{ left: 3, top: 3, ticked: false }]);
  assert.deepEqual(found(photoEmpty), [{ left: 3, top: 3, ticked: false }]);
  assert.deepEqual(found(photoTicked), [{ left: 3, top: 3, ticked: true }]);

  // Letters whose outer edges are as straight: a fax's Ø (of `Øystein`), a photo's bold a (of a heading).
  const faxØ = crop([
    'ffffffffffffffffffffffffffffffffffffffffffffffff',
    'ffffffffffffffffffffffffffffffffffffffffffffffff',
    'ffffffffffffeed4d4d4d4d4d4d4d4d4d4eeeed4d4efffff',
    'ffffffffffffa514141414141414141414a7a51414a8ffff',
    'ffffffffff933400006aaaaaaa3e00000035341695dfffff',
    'fffffff1a136000d5dc7ffffffa16a5c0c000021e0ffffff',
    'ffffffde1f001045e5ffffffffffeeb718000021e0ffffff',
    'ffffffde1f0058ecfcffffffffffa51202000021e0ffffff',
    'ffffbe490a0060ffffffffffff933416953e000a4ac0ffe8',
    'ffff9e000042a2ffffffffffff5e0021e05e000000a1ffdd',
    'ffff9e0000a0fffffffffff9d94e1046e5781a0000a1ffe2',
    'ffff9e0000a0ffffffffffe0300758ecfcf1900000a1fffc',
    'ffff9e0000a0ffffffffbe49096acaffffff9d0000a1ffff',
    'ffff9e0000a0ffffffbb5c0d5dc7ffffffff9d0000a1ffff',
    'ffff9e0000a0fff9d94e1045e5ffffffffe4820000a1ffff',
    'ffff9e0000a0ffe0300758ecfcffffffff6b0d0000a1ffff',
    'ffff9e0000355449096acaffffffffffff5e000000a1ffff',
    'ffffc65c0c00000d5dc7ffffffffffffff5e000d5dc8ffff',
    'ffffeeb819000020e0fffffffffffff9d94e0021e0ffffff',
    'ffffa61202000020e0ffffffffffffdf30070021e0ffffff',
    'ffffde931400000a4a5595e9695555490a0040b4f4ffffff',
    'ffffd68112424100000038811100000d5d6aa2ffffffffff',
    'ffffae2a2aafae2a2a2a2a2a2a2a2a45e5ffffffffffffff',
    'fffff6e9e9f7f6e9e9e9e9e9e9e9e9ecfcffffffffffffff',
    'ffffffffffffffffffffffffffffffffffffffffffffffff',
    'ffffffffffffffffffffffffffffffffffffffffffffffff',
  ]);
  const photoBoldA = crop([
    'fff5fff7fff4f8fbf8fff7f4f4fcf5f4f4fcfffffb',
    'faf2fbfcf6f9fdf2fdfff5fffff1fff6fbfcf4f9f0',
    'f2feeff9eef1dbd8bfbec6c6d2eca8e1f7f7f6eff8',
    'fffcead2a083715e584c4e590f1c3685cdecf1fbfd',
    'faf7e79d340d0d100512120a0000022c87dafbfbf1',
    'ffffec8622050b1f1d187f5d2a0008034eb2eefef9',
    'ffffe29f5b58737d8ce7e2c36f1d03002286e2f3f8',
    'cff6f4d1beccddedafaeb09a6b1a03022172d7fefb',
    'daf6f3f5f0ee5e463737312f1f050007126cd1fbf1',
    'd7fff3dfc1220a0203020a0b020300001068d2f9f5',
    'd4f6fe9d0f03060f34506060431000001062d4fef8',
    'd1f6f98f00000b4e9ecad8cf8a2700071062ccf0f1',
    'ccfedb7620002a7fddedf1dd7c1c00000f63c7feff',
    'd6f3cf751f0a1f7ad0f4e4a84b0f0305085bccf3f3',
    'd7f8d98a2006053973947c48140203070f5fd1fdfb',
    'caf6f3b24e050500101a12221f1708000d5bc5fbfb',
    'd6f3fee5973f0b08000a1d5b682e0a021456d4fdf6',
    'd2f6f1f6d9aa785341658ac2c0826a7979aedefbff',
    'e1fdfef3f7f0dbc1bbc5e2f3eeecf1e9f8f9fafafd',
    'f8f8fbf7fafffcfaf6fbf3fef8fbf6fff3f8fbf1f5',
    'f3fff2f3f5fcfdf4f2f6f6f9eff8fffdf8f6fff3f5',
  ]);
  assert.deepEqual(found(faxØ), []);
  assert.deepEqual(found(photoBoldA), []);
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

test("a box-like letter inside a word read surely stays a letter (a sharpened photo's `a` in `Olav`)", async () => {
  // The `a` of `Olav` on a sharpened photo: a square outline with ink inside, as findBoxes sees a ticked box.
  const page = image(200, 60, (x, y) => outline(x, y, 70, 22, 14) || inside(x, y, 74, 26, 6));
  const source = tsv([
    { text: 'Per', left: 10, top: 18, width: 40, height: 22, conf: 96 },
    { text: 'Olav', left: 56, top: 18, width: 56, height: 22, conf: 96 },
  ]);
  const [read] = await readPage({ tsv: source, firstPage: 1, image: page });
  assert.equal(read?.text, 'Per Olav');
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

  test('a second reading that ran into part of a neighbour is not taken: its digits would be read twice', async () => {
    // A fax's organisation number, both groups unsure; read again, the first group ran on into the second's digits.
    const source = tsv([
      { text: 'Organisasjonsnum', left: 168, top: 358, width: 258, height: 26, conf: 93 },
      { text: '959', left: 465, top: 362, width: 59, height: 23, conf: 38 },
      { text: '555672', left: 536, top: 364, width: 98, height: 20, conf: 38 },
    ]);
    // The stacked crops (a letter height, 26 px, apart): `959` from x 385 of the page, `555672` from x 456.
    const reread = async () =>
      tsv([
        { text: '959555', left: 26 + 465 - 385, top: 26 + 13, width: 115, height: 23, conf: 90, line: 1 },
        { text: '555', left: 26 + 536 - 456, top: 96 + 15, width: 44, height: 20, conf: 90, line: 2 },
        { text: '672', left: 26 + 590 - 456, top: 96 + 15, width: 44, height: 20, conf: 90, line: 2 },
      ]);
    const [read] = await readPage({ tsv: source, firstPage: 1, image: image(900, 500, () => false), reread });
    assert.equal(read?.text, 'Organisasjonsnum 959 555 672');

    // A word read again as long as before, in a box drawn a little into the next word, is taken.
    const role = tsv([
      { text: 'Stilling:', left: 230, top: 941, width: 120, height: 27, conf: 95 },
      { text: 'Virksomhetsieder', left: 480, top: 941, width: 244, height: 22, conf: 49 },
      { text: 'hjemmetjenesten', left: 734, top: 941, width: 239, height: 27, conf: 93 },
    ]);
    const wide = async () =>
      tsv([{ text: 'Virksomhetsleder', left: 26 + 480 - 400, top: 26 + 12, width: 315, height: 22, conf: 92 }]);
    const [taken] = await readPage({ tsv: role, firstPage: 1, image: image(1100, 1100, () => false), reread: wide });
    assert.equal(taken?.text, 'Stilling:\tVirksomhetsleder hjemmetjenesten');
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
