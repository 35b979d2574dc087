import PDFDocument from 'pdfkit';
import { Document, Packer, Paragraph } from 'docx';

/** A PDF with a text layer, one page per entry. Deterministic bytes (fixed dates), so the same call gives the same etag. */
export async function makePdf(pages: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, info: { CreationDate: new Date('2017-04-10T08:00:00Z') } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => doc.on('end', resolve));
  for (const text of pages) {
    doc.addPage();
    doc.text(text);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A .docx with one paragraph per line. */
export async function makeDocx(lines: string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: lines.map((line) => new Paragraph(line)) }] });
  return Packer.toBuffer(doc);
}
