import sanitizeHtml from 'sanitize-html';

/**
 * The allow-list for a Word document's HTML (mammoth's output): text structure only. No scripts, no event handlers,
 * no styles, no images (a data: URL is still content from the document) and no links (a link becomes its text), so
 * nothing in a document can run, load or navigate. Anything not listed is dropped; script and style with their content.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'ul',
    'ol',
    'li',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'blockquote',
    'span',
  ],
  allowedAttributes: { td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: [],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
  ],
  transformTags: { a: 'span' },
  parseStyleAttributes: false,
};

export function sanitizeDocumentHtml(markup: string): string {
  return sanitizeHtml(markup, options);
}
