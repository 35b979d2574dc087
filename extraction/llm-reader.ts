import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { Config } from '../config/env.ts';
import type { Application, FieldPath, Provenance, ProvenanceMap } from '../schemas/application.ts';
import type { Finding } from '../schemas/finding.ts';
import { fieldLabels, isFilled, valueAt } from '../schemas/rules/fields.ts';
import { findingCatalogue, type FindingCodeInfo } from '../schemas/rules/finding-codes.ts';
import { isOcr, type ReadableText } from './form/lines.ts';
import { systemPrompt } from './llm-prompt.ts';
import { answerFormat, AnswerOutlineSchema, applicationFields, type SchemeChoice } from './llm-schema.ts';
import { foldWhitespace } from './normalise.ts';

export type { SchemeChoice } from './llm-schema.ts';

export type LlmConfig = NonNullable<Config['llm']>;

/** What one reader made of a document: the fields it found, where each came from, and what a caseworker should know. */
export interface Reading {
  application: Application;
  provenance: ProvenanceMap;
  findings?: Finding[];
}

/** The model's reading; on any failure it is empty, with a finding that says why. */
export interface LlmReading extends Reading {
  findings: Finding[];
}

export interface LlmReader {
  read(text: ReadableText, schemes: readonly SchemeChoice[]): Promise<LlmReading>;
}

/**
 * Retries of rate limits (429), server errors (5xx) and lost connections, done by the openai client (exponential
 * backoff from 0.5 s, or the server's retry-after). A retry-after longer than `maxDelayMs` (an exhausted quota) is not
 * waited out: the document goes on without the model.
 */
export interface RetryPolicy {
  maxRetries: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, maxDelayMs: 20_000 };

/**
 * Confidence of the model's values. One whose quote stands in the document is as sure as the form reader's lenient
 * reads and passes validation's low-confidence threshold (0.7); one without such a quote may be made up, and is
 * flagged.
 */
export const llmConfidence = { quoted: 0.7, unquoted: 0.4 } as const;

/**
 * The model's failures are warnings, not errors: the case goes on with what the form reader found, and missing
 * fields raise their own errors in validation. Not having a model at all is a deployment choice, so only info.
 */
export const llmFindingCodes = {
  'llm-not-configured': { severity: 'info', label: 'Ikke lest med språkmodell' },
  'llm-unavailable': { severity: 'warning', label: 'Språkmodellen var ikke tilgjengelig' },
  'llm-answer-unusable': { severity: 'warning', label: 'Språkmodellens svar kunne ikke brukes' },
  'llm-value-dropped': { severity: 'warning', label: 'Verdi fra språkmodellen forkastet' },
} as const satisfies Record<string, FindingCodeInfo>;

const { finding } = findingCatalogue(llmFindingCodes);

const goesOn = 'Saken går videre med det som ble lest uten språkmodell; felter som mangler, må leses av originalen.';

/**
 * A reader that asks an OpenAI-compatible chat model for the application's fields (SPEC §3). Without a
 * configuration it sends nothing and says so in a finding. It never throws for what the service or the model does.
 */
export function createLlmReader(config: LlmConfig | undefined, { retry = defaultRetryPolicy } = {}): LlmReader {
  if (!config) {
    return {
      read: async () =>
        emptyReading(
          finding(
            'llm-not-configured',
            'Dokumentet ble ikke lest med språkmodell fordi ingen språkmodell er satt opp. ' +
              'Felter skjemaleseren ikke fant, må leses av originalen.',
          ),
        ),
    };
  }
  const client = new OpenAI({
    // Everything explicit: the client would otherwise fill gaps from OPENAI_* variables the configuration did not vet.
    // A keyless server ignores the header, but the client will not start without some key.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    // A backstop only: each attempt's own deadline (in `complete`) ends it first, and is not retried.
    timeout: 2 * config.timeoutMs,
    maxRetries: retry.maxRetries,
    // Its debug log would write the applicant's document into the worker's log.
    logLevel: 'off',
  });
  return {
    async read(text, schemes) {
      const documentText = text.pages.map((page) => page.text).join('\n\n');
      if (!documentText.trim()) return emptyReading();
      const answer = await complete(
        client,
        {
          model: config.model,
          messages: [
            { role: 'system', content: systemPrompt(schemes) },
            { role: 'user', content: documentText },
          ],
          response_format: answerFormat(schemes),
        },
        retry,
        config.timeoutMs,
      );
      return typeof answer === 'string' ? interpretAnswer(answer, text, schemes) : emptyReading(answer);
    },
  };
}

function emptyReading(...findings: Finding[]): LlmReading {
  return { application: {}, provenance: {}, findings };
}

// --- the request -------------------------------------------------------------------------------------------------

/**
 * The answer's content, or the finding that says why there is none. The client retries; two rules of the policy it
 * has no option for go through its hooks: each attempt has a deadline that ends the whole request (a model that did
 * not answer in time is not asked again: each attempt could take as long, and the case waits), and a response asking
 * for a longer wait than the policy allows carries `x-should-retry: false`, which the client obeys.
 */
async function complete(
  client: OpenAI,
  request: OpenAI.ChatCompletionCreateParamsNonStreaming,
  retry: RetryPolicy,
  timeoutMs: number,
): Promise<string | Finding> {
  const deadline = new AbortController();
  let attempts = 0;
  const attempt = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    attempts++;
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      return refuseLongWaits(await fetch(url, init), retry.maxDelayMs);
    } finally {
      clearTimeout(timer);
    }
  };
  let completion: OpenAI.ChatCompletion;
  try {
    completion = await client
      .withOptions({ fetch: attempt })
      .chat.completions.create(request, { signal: deadline.signal });
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    const tried = attempts > 1 ? `; ${attempts} forsøk ble gjort` : '';
    return finding(
      'llm-unavailable',
      `Dokumentet ble ikke lest med språkmodell fordi ${failure(error, deadline.signal.aborted, timeoutMs)}${tried}. ${goesOn}`,
    );
  }
  return answerContent(completion);
}

function refuseLongWaits(response: Response, maxDelayMs: number): Response {
  const asked = retryAfterMs(response.headers);
  if (response.ok || asked === undefined || asked <= maxDelayMs) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * `retry-after-ms` (OpenAI's), else `retry-after` in seconds or as an HTTP date, read as the openai client reads them
 * (it keeps its reading private).
 */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Why the service gave no answer, for a caseworker: the status code, never the response body (it may echo the key). */
function failure(error: APIError, timedOut: boolean, timeoutMs: number): string {
  if (timedOut || error instanceof APIConnectionTimeoutError)
    return `tjenesten ikke svarte innen ${Math.ceil(timeoutMs / 1000)} s`;
  if (error instanceof APIConnectionError) return 'tjenesten ikke kunne nås';
  const status = error.status;
  if (status === 429) return 'tjenesten hadde for mange forespørsler eller brukt opp kvoten sin (HTTP 429)';
  if (status !== undefined && status >= 500) return `tjenesten hadde en feil (HTTP ${status})`;
  return `tjenesten avviste forespørselen (HTTP ${status}); driftsansvarlig må kontrollere oppsettet av språkmodellen`;
}

function answerContent(completion: OpenAI.ChatCompletion): string | Finding {
  const choice = completion.choices?.[0];
  if (choice?.message?.refusal) return unusable('modellen avslo å lese dokumentet');
  if (choice?.finish_reason === 'length') return unusable('svaret ble avbrutt før det var ferdig');
  if (choice?.finish_reason === 'content_filter') return unusable('tjenestens innholdsfilter stoppet svaret');
  const content = choice?.message?.content;
  return content?.trim() ? content : unusable('svaret var tomt');
}

function unusable(reason: string): Finding {
  return finding('llm-answer-unusable', `Språkmodellens svar kunne ikke brukes fordi ${reason}. ${goesOn}`);
}

// --- the answer --------------------------------------------------------------------------------------------------

/** The answer validated field by field: a value that breaks the contract is dropped with a finding, the rest kept. */
function interpretAnswer(content: string, text: ReadableText, schemes: readonly SchemeChoice[]): LlmReading {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return emptyReading(unusable('svaret ikke var gyldig JSON'));
  }
  const outline = AnswerOutlineSchema.safeParse(json);
  if (!outline.success) return emptyReading(unusable('svaret ikke hadde søknadens form'));

  const quotes = quotesByField(outline.data.evidence);
  const pages = text.pages.map((page) => ({ number: page.number, text: searchable(page.text) }));
  const method: Provenance['method'] = isOcr(text) ? 'ocr+llm' : 'llm';
  const application: Application = {};
  const provenance: ProvenanceMap = {};
  const findings: Finding[] = [];
  for (const { path, schema } of applicationFields) {
    const raw = valueAt(outline.data.application as Application, path);
    const value = canonical(path, raw);
    if (!isFilled(value)) continue;
    const problem = schema.safeParse(value).success
      ? choiceProblem(path, value, application.schemeId, schemes)
      : 'har ikke riktig form';
    if (problem) {
      findings.push(
        finding(
          'llm-value-dropped',
          `Språkmodellen leste «${fieldLabels[path]}» som ${shown(raw)}, men verdien ${problem} og ble forkastet. Les verdien av originalen.`,
          path,
        ),
      );
      continue;
    }
    setAt(application, path, value);
    provenance[path] = evidenceFor(quotes.get(path) ?? [], pages, method);
  }
  return { application, provenance, findings };
}

/** Whitespace and e-mail case put in their normal forms (SPEC §3), which the model may not do reliably. */
function canonical(path: FieldPath, value: unknown): unknown {
  if (typeof value === 'string') {
    const folded = foldWhitespace(value);
    return path === 'contact.email' ? folded.toLowerCase() : folded;
  }
  if (!Array.isArray(value)) return value;
  if (path === 'subGoals' && value.every((item) => typeof item === 'number'))
    return [...new Set(value)].sort((a, b) => a - b);
  return value.map((item) => (typeof item === 'string' ? foldWhitespace(item) : item)).filter((item) => item !== '');
}

/**
 * Scheme and category must be among the caller's: the schema offers them as choices, but not every server enforces it.
 * */
function choiceProblem(
  path: FieldPath,
  value: unknown,
  schemeId: string | null | undefined,
  schemes: readonly SchemeChoice[],
): string | undefined {
  if (path === 'schemeId' && !schemes.some((scheme) => scheme.id === value)) return 'er ikke en av ordningene';
  if (path !== 'project.category') return undefined;
  const offered = schemes
    .filter((scheme) => !schemeId || scheme.id === schemeId)
    .flatMap((scheme) => scheme.categories);
  return offered.includes(value as string) ? undefined : 'er ikke en av ordningens kategorier';
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? `«${value}»` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function setAt(application: Application, path: FieldPath, value: unknown): void {
  const [section, leaf] = path.split('.') as [string, string | undefined];
  const target = application as Record<string, unknown>;
  target[section] = leaf === undefined ? value : { ...(target[section] as object | undefined), [leaf]: value };
}

// --- evidence ----------------------------------------------------------------------------------------------------

function quotesByField(evidence: ReadonlyArray<{ field: string; quote: string }>): Map<string, string[]> {
  const quotes = new Map<string, string[]>();
  for (const { field, quote } of evidence) quotes.set(field, [...(quotes.get(field) ?? []), quote]);
  return quotes;
}

/**
 * Quotes are compared with whitespace folded and case ignored: line breaks and OCR's casing are not the model's doing.
 * */
function searchable(text: string): string {
  return foldWhitespace(text).toLowerCase();
}

/** Provenance from the first quote that stands in the document (on one page, or across a page break). */
function evidenceFor(
  quotes: readonly string[],
  pages: ReadonlyArray<{ number: number; text: string }>,
  method: Provenance['method'],
): Provenance {
  const whole = pages.map((page) => page.text).join(' ');
  for (const quote of quotes) {
    const wanted = searchable(quote);
    if (!wanted || !whole.includes(wanted)) continue;
    const page = pages.find((candidate) => candidate.text.includes(wanted))?.number;
    return { method, ...(page && { page }), source: foldWhitespace(quote), confidence: llmConfidence.quoted };
  }
  // A quote that is not in the document is not the text the value was read from, so it is not kept as the source.
  return { method, source: '', confidence: llmConfidence.unquoted };
}

// --- merging -----------------------------------------------------------------------------------------------------

/**
 * The form reader's reading completed by the model's: the model fills only fields the form reader left empty, so a
 * form value always wins. The model's findings about fields the form reader filled are dropped with its values.
 */
export function mergeReadings(form: Reading, llm: Reading): Reading & { findings: Finding[] } {
  const application = structuredClone(form.application);
  const provenance: ProvenanceMap = { ...form.provenance };
  const filledByForm = new Set<string>();
  for (const { path } of applicationFields) {
    if (isFilled(valueAt(form.application, path))) {
      filledByForm.add(path);
      continue;
    }
    const value = valueAt(llm.application, path);
    if (!isFilled(value)) continue;
    // The model's category is one of its own scheme's; under another scheme it would be wrong.
    if (path === 'project.category' && application.schemeId !== llm.application.schemeId) continue;
    setAt(application, path, value);
    const read = llm.provenance[path];
    if (read) provenance[path] = read;
    else delete provenance[path];
  }
  const findings = [
    ...(form.findings ?? []),
    ...(llm.findings ?? []).filter((f) => !(f.field && filledByForm.has(f.field))),
  ];
  return { application, provenance, findings };
}
