import mammoth from 'mammoth';
import WordExtractor from 'word-extractor';
import { UnreadableDocumentError } from '../unreadable.ts';
import { htmlToLines } from './html-text.ts';
import { checkZipBudget } from './zip-budget.ts';

/**
 * A .docx as lines, through mammoth's HTML so that a table row keeps its label and value on one line. Images are left
 * out: only the text is read. The zip is checked against `maxUncompressedBytes` before mammoth inflates it.
 */
export async function readDocx(bytes: Uint8Array, maxUncompressedBytes: number): Promise<string> {
  const entries = await checkZipBudget(bytes, maxUncompressedBytes);
  if (!entries.includes('word/document.xml')) {
    throw new UnreadableDocumentError(
      'unreadable',
      'the .docx has no word/document.xml',
      'Word-filen mangler selve dokumentet',
    );
  }
  try {
    const { value } = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), ignoreEmptyParagraphs: true },
    );
    return htmlToLines(value);
  } catch (error) {
    throw new UnreadableDocumentError(
      'unreadable',
      `the Word document cannot be read: ${(error as Error).message}`,
      'Word-filen er skadet',
    );
  }
}

/** A Word 97–2003 .doc: its body, then text boxes (forms put fields in them). Table cells end with tabs. */
export async function readDoc(bytes: Uint8Array): Promise<string> {
  try {
    const document = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const textboxes = document.getTextboxes({ includeHeadersAndFooters: false, includeBody: true });
    return [document.getBody(), textboxes].filter((part) => part.trim()).join('\n');
  } catch (error) {
    throw new UnreadableDocumentError(
      'unreadable',
      `the Word 97–2003 document cannot be read: ${(error as Error).message}`,
      'Word-filen (.doc) er skadet',
    );
  }
}
