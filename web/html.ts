/**
 * Server-rendered HTML with escaping by default: every value put into an `html` template is escaped unless it is
 * itself `SafeHtml` (another template, or the allow-list sanitiser's output). Nothing from a document, an e-mail or a
 * request reaches a page any other way. Attribute values must be quoted in the templates (`href="${url}"`).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]!);
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Marks markup as safe. Only for the sanitiser's output and fixed markup of this code; never for input. */
export const trusted = (markup: string) => new SafeHtml(markup);

/** A path segment for a URL built from data (a case reference, a page number). */
export const seg = (value: string | number) => encodeURIComponent(String(value));
