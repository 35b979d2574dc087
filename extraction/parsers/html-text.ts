import { Parser } from 'htmlparser2';

/**
 * The text of the simple, well-formed HTML mammoth writes for a Word document, as lines: a paragraph or heading is a
 * line, a table row is one line with its cells separated by tabs (so a form's label and value stay together), and a
 * cell's further paragraphs (a list of partners) follow on lines of their own. Nothing in it is rendered or run: tags
 * are dropped, entities decoded.
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
  const tag = (name: string, closing: boolean) => {
    if (name === 'table') {
      tableDepth += closing ? -1 : 1;
      if (!closing && tableDepth === 1) endLine();
    } else if (name === 'tr' && tableDepth === 1) {
      if (closing && cells) {
        const row = cells.map((c) =>
          c
            .split('\n')
            .map((part) => part.replace(/\s+/g, ' ').trim())
            .filter(Boolean)
            .join('\n'),
        );
        if (row.some(Boolean)) lines.push(row.join('\t').replace(/\t+$/, ''));
        cells = undefined;
      } else if (!closing) cells = [];
    } else if ((name === 'td' || name === 'th') && tableDepth === 1) {
      if (closing) cells?.push(cell);
      cell = '';
    } else if (tableDepth > 0) {
      // Inside a cell: paragraphs and line breaks start a new line (a list of partners), a nested table's cells are
      // spaced.
      if (name === 'br' || (closing && /^(?:p|h[1-6]|li|div)$/.test(name))) cell += '\n';
      else if (closing) cell += ' ';
    } else if (name === 'br') {
      endLine();
    } else if (closing && /^(?:p|h[1-6]|li|div|blockquote|pre)$/.test(name)) {
      endLine();
    }
  };
  const parser = new Parser({
    ontext: (text) => {
      if (tableDepth > 0) cell += text;
      else line += text;
    },
    onopentag: (name) => tag(name, false),
    // A void element (<br>, <img>) is closed by the parser itself; its opening tag already counted.
    onclosetag: (name, implied) => !(implied && isVoid(name)) && tag(name, true),
  });
  parser.end(html);
  endLine();
  return lines.join('\n');
}

const isVoid = (name: string) => name === 'br' || name === 'img' || name === 'hr' || name === 'wbr';
