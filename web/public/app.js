// The review app's only script (the CSP allows no other): shows where a field came from in the document, and sends
// the case page's forms without leaving the place the user is at. It reads data attributes the server wrote, never
// puts text into the page as HTML, and takes in only the server's own rendered pages. Without it every form still
// works as an ordinary post that comes back to the field or section it was sent from.
'use strict';

function clearHighlights() {
  for (const el of document.querySelectorAll('.highlight-box')) el.remove();
  for (const mark of document.querySelectorAll('mark.highlight-text')) {
    const parent = mark.parentNode;
    mark.replaceWith(...mark.childNodes);
    if (parent) parent.normalize();
  }
  for (const el of document.querySelectorAll('tr.field.selected')) el.classList.remove('selected');
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first place in the container's text nodes that the words are written, as a Range (spaces may differ). */
function findWords(container, words) {
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'i');
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const match = pattern.exec(node.nodeValue || '');
    if (!match) continue;
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    return range;
  }
  return undefined;
}

/**
 * Marks the source's value in a Word document or a text page. The value ends the source line («Organisasjonsnummer
 * 964 964 998»), so the longest end of it that is written in one place is marked: the whole line where label and
 * value stand together, the value alone where a table puts them in cells of their own.
 */
function highlightText(container, source) {
  const words = source.split(/\s+/).filter(Boolean);
  for (let take = words.length; take >= 1; take--) {
    const tail = words.slice(words.length - take);
    if (take < words.length && tail.join(' ').length < 3) break;
    const range = findWords(container, tail);
    if (!range) continue;
    const mark = document.createElement('mark');
    mark.className = 'highlight-text';
    mark.appendChild(range.extractContents());
    range.insertNode(mark);
    return mark;
  }
  return undefined;
}

/** Marks boxes (in percent of the page) on a page image; returns the first. */
function drawBoxes(figure, boxes) {
  let first;
  for (const box of boxes) {
    const mark = document.createElement('div');
    mark.className = 'highlight-box';
    mark.style.left = box.x + '%';
    mark.style.top = box.y + '%';
    mark.style.width = box.w + '%';
    mark.style.height = box.h + '%';
    figure.appendChild(mark);
    first = first || mark;
  }
  return first;
}

/** The boxes the server found by OCR on a scanned page (asked once per field and page). */
async function ocrBoxes(row) {
  try {
    const response = await fetch(row.dataset.ocr, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return [];
    const body = await response.json();
    return Array.isArray(body.boxes) ? body.boxes : [];
  } catch {
    return [];
  }
}

/** Scrolls the document pane (only it) to the element, so the field the user is at stays in view. */
function scrollPaneTo(element) {
  const pane = element.closest('.document-pane');
  if (!pane || pane.scrollHeight <= pane.clientHeight) {
    element.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    return;
  }
  const offset = element.getBoundingClientRect().top - pane.getBoundingClientRect().top;
  pane.scrollTo({ top: pane.scrollTop + offset - pane.clientHeight / 3, behavior: 'smooth' });
}

async function showSource(row) {
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
  if (target.tagName === 'FIGURE') {
    let boxes = (row.dataset.boxes || '')
      .split(';')
      .filter(Boolean)
      .map((box) => {
        const [x, y, w, h] = box.split(',').map(Number);
        return { x, y, w, h };
      });
    if (!boxes.length && row.dataset.ocr) {
      if (note) note.textContent = 'Leser den skannede siden …';
      boxes = await ocrBoxes(row);
      if (!row.classList.contains('selected')) return;
    }
    found = drawBoxes(target, boxes);
  } else {
    found = highlightText(target, row.dataset.source || '');
  }
  scrollPaneTo(found || target);
  if (note) note.textContent = found ? '' : 'Fant ikke teksten på siden; se side ' + page + '.';
}

document.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const locate = target.closest('button.locate');
  if (locate) {
    const row = locate.closest('tr.field');
    if (row) void showSource(row);
    return;
  }
  const findingLink = target.closest('a.finding-field');
  if (findingLink) {
    const row = document.getElementById('felt-' + findingLink.dataset.field);
    if (row) {
      event.preventDefault();
      row.scrollIntoView({ behavior: 'smooth', block: 'center' });
      if (row.dataset.source) void showSource(row);
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

// Forms that keep the user's place: the answer (the page after the redirect, or the page with the form kept as it was
// filled in) replaces the page's content, and the window scrolls so the field or section the form was in stays where
// it was on the screen.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (
    !(form instanceof HTMLFormElement) ||
    !form.hasAttribute('data-keep-place') ||
    form.method.toLowerCase() !== 'post'
  )
    return;
  event.preventDefault();
  const anchor = form.closest('tr.field[id], section[id]');
  const anchorId = anchor ? anchor.id : undefined;
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : undefined;
  if (button) button.disabled = true;
  let response;
  try {
    response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
    });
  } catch {
    if (button) button.disabled = false;
    form.submit();
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  const main = page.querySelector('main');
  if (!main) {
    window.location.assign(response.url);
    return;
  }
  document.querySelector('main').replaceWith(document.adoptNode(main));
  document.title = page.title;
  if (new URL(response.url).pathname !== window.location.pathname) window.history.pushState(null, '', response.url);
  const again = anchorId ? document.getElementById(anchorId) : null;
  if (again) window.scrollBy(0, again.getBoundingClientRect().top - before);
  // What answers the user: a confirmation to give, the reason an input was refused, or what was done.
  const answer =
    document.querySelector('main form.confirm') ||
    document.querySelector('main .field-error') ||
    document.querySelector('main .flash');
  if (answer) {
    const rect = answer.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      if (answer.classList.contains('flash') && again) announce(answer.textContent || '');
      else answer.scrollIntoView({ block: 'center' });
    }
    const focusable =
      answer.querySelector('button[type=submit]') || answer.closest('label, form')?.querySelector('[aria-invalid]');
    if (focusable instanceof HTMLElement) focusable.focus({ preventScroll: true });
  }
});

/** Says what was done beside the place the user is at (the flash at the top may be out of view). */
function announce(text) {
  let live = document.getElementById('done-note');
  if (!live) {
    live = document.createElement('p');
    live.id = 'done-note';
    live.className = 'done-note';
    live.setAttribute('role', 'status');
    document.body.appendChild(live);
  }
  live.textContent = text;
}
