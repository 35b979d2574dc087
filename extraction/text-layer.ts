/**
 * Whether extracted text is the document's text. A PDF whose text layer is not is a scan: no text at all, a few stray
 * characters (a scanner's stamp), or garbage (fonts without a usable encoding give private-use glyphs, replacement
 * characters or
 * control codes; an invisible OCR layer of a poor scanner gives words without vowels).
 */
export function isUsableTextLayer(pages: ReadonlyArray<{ text: string }>): boolean {
  const text = pages.map((page) => page.text).join('\n');
  const visible = text.replace(/\s+/g, '');
  if (visible.length < 40 * Math.max(1, pages.length) * 0.5) return false;
  const odd = visible.match(/[\p{Co}\p{Cc}\p{Cs}\uFFFD]/gu)?.length ?? 0;
  if (odd / visible.length > 0.05) return false;
  const ordinary = visible.match(/[\p{L}\p{N}.,:;!?()«»"'’/%&+\-–—§@☐☒☑]/gu)?.length ?? 0;
  if (ordinary / visible.length < 0.9) return false;
  const words = text.split(/\s+/).filter((token) => /^\p{L}{3,}$/u.test(token));
  if (words.length < 5) return true;
  // Latin and Cyrillic vowels: a Russian Word 6 file that LibreOffice reads is text too.
  const withVowel = words.filter((word) => /[aeiouyæøåéèêóòôáàäöüаеёиоуыэюяієї]/iu.test(word)).length;
  return withVowel / words.length >= 0.75;
}
