import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './views/layout.ts';

/**
 * A form sent back to the user as they filled it in: after a refusal (with the reason beside the field it concerns),
 * or before an irreversible action (with what will happen, to confirm once). Any form of a page reuses it: the route
 * answers with the page and a `KeptForm`, the view fills its inputs from `keptValue` and shows `fieldError` and
 * `confirmStep`. Without JavaScript it is an ordinary post; the page's script swaps the answer in where the user is.
 */
export interface KeptForm {
  /** Which form of the page (its action's last path segment, e.g. `vedtak`). */
  form: string;
  /** Exactly what was entered, by input name (every box ticked, for a group of checkboxes). */
  values: Record<string, string | string[]>;
  /** Why it was refused, by the input name it concerns. */
  errors: Record<string, string>;
  /** What confirming will do, when the form waits for confirmation. */
  confirm?: SafeHtml;
}

/** The name of the hidden input that says the user has seen what will happen and confirms it. */
export const CONFIRMED = 'bekreftet';

/** Whether the posted form is the confirmed second step. */
export const isConfirmed = (body: unknown) => (body as Record<string, unknown> | undefined)?.[CONFIRMED] === 'ja';

/** The posted text inputs (not the CSRF token or the confirmation), to give back exactly as entered. */
export function enteredValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (name === '_csrf' || name === CONFIRMED) continue;
    // Read through the route's schema: a number (a proposal's seq) was posted as text, and goes back as text.
    if (typeof value === 'string' || typeof value === 'number') values[name] = String(value);
    else if (Array.isArray(value)) values[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return values;
}

/** The kept state of this form, when the page comes back for it. */
export const keptFor = (kept: KeptForm | undefined, form: string) => (kept?.form === form ? kept : undefined);

/** What the user entered into this input, else the page's own value. */
export function keptValue(kept: KeptForm | undefined, name: string, fallback: string): string {
  const value = kept?.values[name];
  return typeof value === 'string' ? value : fallback;
}

/** The boxes of a checkbox group the user ticked (none ticked is nothing posted), else the page's own choice. */
export const keptChoices = (kept: KeptForm | undefined, name: string, fallback: string[]): string[] =>
  kept ? [kept.values[name] ?? []].flat() : fallback;

/** The refusal beside the input it concerns (the input names it with `aria-describedby`). */
export function fieldError(kept: KeptForm | undefined, name: string): SafeHtml {
  const error = kept?.errors[name];
  return error
    ? html`<span class="field-error" id="${errorId(kept!.form, name)}" role="alert">${error}</span>`
    : html``;
}

export const errorId = (form: string, name: string) => `feil-${form}-${name}`;

/** `aria-invalid` and `aria-describedby` for an input whose value was refused. */
export const invalidAttributes = (kept: KeptForm | undefined, name: string): SafeHtml =>
  kept?.errors[name] ? html`aria-invalid="true" aria-describedby="${errorId(kept.form, name)}"` : html``;

/**
 * The confirmation: what will happen, the kept values as hidden inputs, and one button that does it. «Endre» goes back
 * to the form above, still filled in.
 */
export function confirmStep(reply: FastifyReply, action: string, kept: KeptForm | undefined, button: string): SafeHtml {
  if (!kept?.confirm) return html``;
  return html`<form method="post" action="${action}" class="confirm" data-keep-place>
    ${csrfField(reply)}
    ${Object.entries(kept.values).flatMap(([name, value]) => [value].flat().map((v) => html`<input type="hidden" name="${name}" value="${v}" />`))}
    <input type="hidden" name="${CONFIRMED}" value="ja" />
    <p class="confirm-what" role="alert">${kept.confirm}</p>
    <p><strong>Dette kan ikke angres.</strong></p>
    <button type="submit" class="primary">${button}</button> <a href="#skjema-${kept.form}" class="button">Endre</a>
  </form>`;
}
