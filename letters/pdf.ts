import PDFDocument from 'pdfkit';
import type { Letter } from '../schemas/letter-template.ts';

/**
 * A letter laid out as an A4 PDF the way a Norwegian office prints one: the office and the letter head at the top,
 * the recipient where a window envelope shows it, the title, the facts, the text, the signatures, and the office's
 * address and the page number at the foot of every page. PDF's built-in Helvetica (WinAnsi) has æ, ø, å, «», – and
 * §, so no font file is needed.
 */

type Pdf = PDFKit.PDFDocument;

const margin = { top: 56, side: 62, bottom: 70 };
const size = { body: 10.5, small: 8.5, heading: 11.5, title: 14, office: 15 };
const font = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
/** The recipient's address block: where a C5/E65 window envelope shows it (left, 45 mm from the top). */
const addressTop = 128;
const headColumn = 340;

export async function renderLetterPdf(letter: Letter): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: margin.top, bottom: margin.bottom, left: margin.side, right: margin.side },
    bufferPages: true,
    lang: letter.standard === 'nn' ? 'nn-NO' : 'nb-NO',
    info: {
      Title: letter.title,
      Author: letter.sender.office,
      Subject: letter.reference,
      Producer: 'grant-intake',
      Creator: 'grant-intake',
      // The letter's own date, so that the same letter gives the same bytes.
      CreationDate: new Date(`${letter.date}T12:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });

  letterHead(pdf, letter);
  pdf.x = margin.side;
  pdf.y = Math.max(pdf.y, addressTop + 90);
  pdf
    .font(font.bold)
    .fontSize(size.title)
    .text(letter.title, { width: width(pdf) });
  pdf.moveDown(0.6);
  factsTable(pdf, letter.facts);
  for (const section of letter.sections) sectionBlock(pdf, section);
  closing(pdf, letter.closing);
  footers(pdf, letter);

  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}

const width = (pdf: Pdf) => pdf.page.width - 2 * margin.side;

function letterHead(pdf: Pdf, letter: Letter): void {
  pdf
    .font(font.bold)
    .fontSize(size.office)
    .text(letter.sender.office, margin.side, margin.top, { width: headColumn - margin.side - 10 });
  if (letter.sender.department) pdf.font(font.regular).fontSize(size.body).text(letter.sender.department);

  const labelWidth = 90;
  let y = margin.top;
  for (const { label, value } of letter.head) {
    pdf
      .font(font.regular)
      .fontSize(size.small)
      .text(label, headColumn, y + 1.5, { width: labelWidth });
    pdf
      .font(font.regular)
      .fontSize(size.body)
      .text(value, headColumn + labelWidth, y, { width: pdf.page.width - margin.side - headColumn - labelWidth });
    y = pdf.y + 2;
  }

  pdf.font(font.regular).fontSize(size.body);
  pdf.text(letter.recipient.name, margin.side, addressTop, { width: 240 });
  for (const line of letter.recipient.lines) pdf.text(line, { width: 240 });
}

/** Starts a new page when a block of this height would run into the footer. */
function keepTogether(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - margin.bottom) pdf.addPage();
}

function factsTable(pdf: Pdf, facts: Letter['facts']): void {
  const labelWidth = 130;
  const valueWidth = width(pdf) - labelWidth;
  for (const { label, value } of facts) {
    pdf.font(font.regular).fontSize(size.body);
    const height = Math.max(
      pdf.heightOfString(label, { width: labelWidth }),
      pdf.heightOfString(value, { width: valueWidth }),
    );
    keepTogether(pdf, height + 3);
    const top = pdf.y;
    pdf.font(font.bold).text(label, margin.side, top, { width: labelWidth - 8 });
    pdf.font(font.regular).text(value, margin.side + labelWidth, top, { width: valueWidth });
    pdf.y = top + height + 3;
  }
  pdf.x = margin.side;
  pdf.moveDown(0.6);
}

function sectionBlock(pdf: Pdf, section: Letter['sections'][number]): void {
  pdf.font(font.regular).fontSize(size.body);
  const first = section.paragraphs[0] ?? section.items[0] ?? '';
  if (section.heading) {
    // A heading never stands alone at the foot of a page.
    keepTogether(pdf, 24 + pdf.heightOfString(first, { width: width(pdf) }));
    pdf
      .font(font.bold)
      .fontSize(size.heading)
      .text(section.heading, margin.side, pdf.y, { width: width(pdf) });
    pdf.moveDown(0.2);
  }
  const paragraph = (text: string) => {
    pdf
      .font(font.regular)
      .fontSize(size.body)
      .text(text, margin.side, pdf.y, { width: width(pdf), lineGap: 1.5 });
    pdf.moveDown(0.5);
  };
  section.paragraphs.forEach(paragraph);
  const indent = 14;
  for (const item of section.items) {
    pdf.font(font.regular).fontSize(size.body);
    keepTogether(pdf, pdf.heightOfString(item, { width: width(pdf) - indent }));
    const top = pdf.y;
    pdf.text('•', margin.side + 2, top);
    pdf.text(item, margin.side + indent, top, { width: width(pdf) - indent, lineGap: 1.5 });
    pdf.moveDown(0.3);
  }
  if (section.items.length) pdf.moveDown(0.2);
  section.afterList.forEach(paragraph);
  pdf.moveDown(0.3);
}

function closing(pdf: Pdf, { greeting, signatures, note }: Letter['closing']): void {
  keepTogether(pdf, 110);
  pdf
    .font(font.regular)
    .fontSize(size.body)
    .text(greeting, margin.side, pdf.y + 6);
  pdf.moveDown(1.6);
  const top = pdf.y;
  const column = width(pdf) / Math.max(signatures.length, 2);
  signatures.forEach(({ name, role }, i) => {
    const x = margin.side + i * column;
    pdf
      .font(font.regular)
      .fontSize(size.body)
      .text(name, x, top, { width: column - 10 });
    pdf.text(role, x, pdf.y, { width: column - 10 });
  });
  pdf.moveDown(1.4);
  pdf
    .font(font.italic)
    .fontSize(size.small)
    .text(note, margin.side, pdf.y, { width: width(pdf) });
}

function footers(pdf: Pdf, letter: Letter): void {
  const { start, count } = pdf.bufferedPageRange();
  const address = [letter.sender.office, ...letter.sender.address, letter.sender.email].join('  ·  ');
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would otherwise start a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - 46;
    pdf
      .moveTo(margin.side, y - 6)
      .lineTo(pdf.page.width - margin.side, y - 6)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    pdf.font(font.regular).fontSize(size.small).fillColor('black');
    pdf.text(address, margin.side, y, { width: width(pdf) - 80, lineBreak: false });
    const page = letter.pageLabel.replace('{page}', String(i - start + 1)).replace('{pages}', String(count));
    pdf.text(page, pdf.page.width - margin.side - 80, y, { width: 80, align: 'right', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
}
