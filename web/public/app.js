// The review app's only script (the CSP allows no other): shows where a field came from in the document, and sends
// the case page's forms without leaving the place the user is at. It reads data attributes the server wrote, never
// puts text into the page as HTML, and takes in only the server's own rendered pages. Without it every form still
// works as an ordinary post that comes back to the field or section it was sent from.
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

// Forms that keep the user's place: the answer (the page after the redirect, or the page with the form kept as it was
// filled in) replaces the page's content, and the window scrolls so the field or section the form was in stays where
// it was on the screen.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-keep-place') || form.method.toLowerCase() !== 'post') return;
  event.preventDefault();
  const anchor = form.closest('tr.field[id], section[id]');
  const anchorId = anchor ? anchor.id : undefined;
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : undefined;
  if (button) button.disabled = true;
  let response;
  try {
    response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin', headers: { accept: 'text/html' } });
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
  const answer = document.querySelector('main form.confirm') || document.querySelector('main .field-error') || document.querySelector('main .flash');
  if (answer) {
    const rect = answer.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      if (answer.classList.contains('flash') && again) announce(answer.textContent || '');
      else answer.scrollIntoView({ block: 'center' });
    }
    const focusable = answer.querySelector('button[type=submit]') || answer.closest('label, form')?.querySelector('[aria-invalid]');
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
