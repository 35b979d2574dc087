/**
 * The text of the simple, well-formed HTML mammoth writes for a Word document, as lines: a paragraph or heading is a
 * line, a table row is one line with its cells separated by tabs (so a form's label and value stay together), and a
 * cell's further paragraphs (a list of partners) follow on lines of their own. Nothing in it is rendered or run: tags are dropped, entities decoded.
 */
export function htmlToLines(html: string): string {
  const lines: string[] = [];
  let line = '';
  let cells: string[] | undefined;
  let cell = '';
  let tableDepth = 0;
  const endLine = () => {
    if (line.trim()) lines.push(line.trim());
    line = '';
  };
  for (const token of html.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<')) {
      const text = decodeEntities(token);
      if (tableDepth > 0) cell += text;
      else line += text;
      continue;
    }
    const tag = /^<\/?\s*([a-z0-9]+)/i.exec(token)?.[1]?.toLowerCase() ?? '';
    const closing = token.startsWith('</');
    if (tag === 'table') {
      tableDepth += closing ? -1 : 1;
      if (!closing && tableDepth === 1) endLine();
    } else if (tag === 'tr' && tableDepth === 1) {
      if (closing && cells) {
        const row = cells.map((c) => c.split('\n').map((part) => part.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n'));
        if (row.some(Boolean)) lines.push(row.join('\t').replace(/\t+$/, ''));
        cells = undefined;
      } else if (!closing) cells = [];
    } else if ((tag === 'td' || tag === 'th') && tableDepth === 1) {
      if (closing) cells?.push(cell);
      cell = '';
    } else if (tableDepth > 0) {
      // Inside a cell: paragraphs and line breaks start a new line (a list of partners), a nested table's cells are spaced.
      if (tag === 'br' || (closing && /^(?:p|h[1-6]|li|div)$/.test(tag))) cell += '\n';
      else if (closing) cell += ' ';
    } else if (tag === 'br') {
      endLine();
    } else if (closing && /^(?:p|h[1-6]|li|div|blockquote|pre)$/.test(tag)) {
      endLine();
    }
  }
  endLine();
  return lines.join('\n');
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}
