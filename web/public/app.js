// The review app's only script (the CSP allows no other): shows where a field came from in the document.
// It reads data attributes the server wrote, and never puts text into the page as HTML.
'use strict';

function clearHighlights() {
  for (const el of document.querySelectorAll('.highlight-box')) el.remove();
  for (const el of document.querySelectorAll('.highlight-text')) el.classList.remove('highlight-text');
  for (const el of document.querySelectorAll('tr.field.selected')) el.classList.remove('selected');
}

const normalise = (text) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Marks the block of a Word document or a text page that holds the source text (its first words, at least). */
function highlightText(container, source) {
  const wanted = normalise(source);
  if (!wanted) return undefined;
  const words = wanted.split(' ');
  const blocks = container.querySelectorAll('p, td, th, li, h1, h2, h3, h4, h5, h6, pre');
  for (let take = words.length; take >= 1; take--) {
    const probe = words.slice(0, take).join(' ');
    if (probe.length < 3 && take < words.length) break;
    for (const block of blocks) {
      if (normalise(block.textContent || '').includes(probe)) {
        const row = block.closest('tr') || block;
        row.classList.add('highlight-text');
        return row;
      }
    }
  }
  return undefined;
}

function showSource(row) {
  clearHighlights();
  row.classList.add('selected');
  const page = row.dataset.page || '1';
  const target = document.getElementById('side-' + page);
  const note = document.getElementById('source-note');
  if (!target) {
    if (note) note.textContent = 'Kilden er ikke i dette dokumentet.';
    return;
  }
  let found;
  const boxes = (row.dataset.boxes || '').split(';').filter(Boolean);
  if (target.tagName === 'FIGURE' && boxes.length) {
    for (const box of boxes) {
      const [x, y, w, h] = box.split(',').map(Number);
      const mark = document.createElement('div');
      mark.className = 'highlight-box';
      mark.style.left = x + '%';
      mark.style.top = y + '%';
      mark.style.width = w + '%';
      mark.style.height = h + '%';
      target.appendChild(mark);
      found = found || mark;
    }
  } else if (target.tagName !== 'FIGURE') {
    found = highlightText(target, row.dataset.source || '');
  }
  (found || target).scrollIntoView({ behavior: 'smooth', block: 'center' });
  if (note) note.textContent = found ? '' : 'Fant ikke teksten på siden; se side ' + page + '.';
}

document.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const locate = target.closest('button.locate');
  if (locate) {
    const row = locate.closest('tr.field');
    if (row) showSource(row);
    return;
  }
  const findingLink = target.closest('a.finding-field');
  if (findingLink) {
    const row = document.getElementById('felt-' + findingLink.dataset.field);
    if (row) {
      event.preventDefault();
      row.scrollIntoView({ behavior: 'smooth', block: 'center' });
      if (row.dataset.source) showSource(row);
      else {
        clearHighlights();
        row.classList.add('selected');
      }
    }
  }
});

// Approve or reject: the fields of the other outcome are greyed out.
document.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || target.name !== 'outcome') return;
  const form = target.form;
  if (!form) return;
  form.classList.toggle('rejecting', target.value === 'reject');
});
