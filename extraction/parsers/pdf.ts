import { PDFParse } from 'pdf-parse';
import { UnreadableDocumentError } from '../unreadable.ts';

export interface PdfText {
  /** Pages in order, with the text layer in reading order; table cells are separated by tabs. */
  pages: Array<{ number: number; text: string }>;
}

/**
 * The text layer of a PDF, page by page. JavaScript in the PDF never runs (pdf.js has no scripting here, and eval is
 * off). A PDF with more pages than `maxPages` is refused before its pages are read.
 */
export async function readPdfText(bytes: Uint8Array, maxPages: number): Promise<PdfText> {
  // pdf.js takes ownership of the buffer it is given; pass a copy so the caller's bytes stay intact.
  const parser = new PDFParse({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const { total } = await parser.getInfo();
    if (total > maxPages) {
      throw new UnreadableDocumentError(
        'too-large',
        `the PDF has ${total} pages, more than the ${maxPages} read`,
        `PDF-en har ${total} sider (grensen er ${maxPages})`,
      );
    }
    const result = await parser.getText();
    return { pages: result.pages.map((page) => ({ number: page.num, text: page.text })) };
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error;
    const { name, message } = error as Error;
    if (name === 'PasswordException') throw new UnreadableDocumentError('encrypted', 'the PDF is password-protected');
    throw new UnreadableDocumentError(
      'unreadable',
      `the PDF cannot be read: ${message}`,
      'PDF-filen er skadet eller ufullstendig',
    );
  } finally {
    await parser.destroy();
  }
}
