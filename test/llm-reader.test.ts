import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { loadConfig } from '../config/env.ts';
import type { ReadableText } from '../extraction/form/lines.ts';
import type { Provenance } from '../schemas/application.ts';
import {
  createLlmReader,
  llmConfidence,
  mergeReadings,
  type LlmConfig,
  type LlmReading,
  type Reading,
  type RetryPolicy,
  type SchemeChoice,
} from '../extraction/llm-reader.ts';
import {
  apiError,
  completion,
  refusal,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
  type Reply,
} from './support/fake-openai-server.ts';

const apiKey = 'sk-test-5f0c1e7a-never-show-me';

const schemes: SchemeChoice[] = [
  {
    id: 'kompetanse-innovasjon-2017',
    name: 'Kommunalt kompetanse- og innovasjonstilskudd',
    categories: [
      'grunnutdanning',
      'videreutdanning',
      'etterutdanning',
      'psykisk-helse-rus',
      'bpa-opplaering',
      'innovasjon',
    ],
  },
  {
    id: 'parorende-2017',
    name: 'Tilskudd til helhetlige tilbud til pårørende',
    categories: ['oppstart', 'videreutvikling'],
  },
];

/** A letter instead of the form, over two pages: the kind of document the form reader cannot read. */
const letter: ReadableText = {
  pages: [
    {
      number: 1,
      text: [
        'Vinje kommune',
        'Vinjevegen 192',
        '3890 Vinje',
        '',
        'Fylkesmannen i Telemark',
        '',
        'Søknad om kommunalt kompetanse- og innovasjonstilskudd 2017',
        '',
        'Vinje kommune (org.nr. 964 964 998) søker om tilskudd til videreutdanning i',
        'psykisk helsearbeid for tolv ansatte i hjemmetjenesten.',
        'Kontaktperson er Kari Nordmann, kommunalsjef helse,',
        'e-post Kari.Nordmann@vinje.kommune.no, telefon 35 06 20 00.',
      ].join('\n'),
    },
    {
      number: 2,
      text: ['Vi søker om kr 1 250 000,-.', '', 'Rauland, 10. april 2017', 'Ola Nordmann', 'rådmann'].join('\n'),
    },
  ],
};
const letterText = letter.pages.map((page) => page.text).join('\n\n');

/** A complete strict-mode answer: every field present, null where the letter says nothing. */
const wellFormedAnswer = {
  application: {
    schemeId: 'kompetanse-innovasjon-2017',
    applicant: {
      name: 'Vinje kommune',
      organisationNumber: '964964998',
      municipalityNumber: null,
      address: 'Vinjevegen 192',
      postalCode: '3890',
      postalPlace: 'Vinje',
    },
    contact: {
      name: 'Kari Nordmann',
      role: 'kommunalsjef helse',
      email: 'kari.nordmann@vinje.kommune.no',
      phone: '35062000',
    },
    partners: null,
    project: {
      title: null,
      category: 'videreutdanning',
      summary: null,
      targetGroup: null,
      startDate: null,
      endDate: null,
      participants: null,
    },
    subGoals: null,
    hasOverarchingPlan: null,
    budget: { totalCost: null, ownFunding: null, otherFunding: null, amountRequested: 1250000 },
    signature: { place: 'Rauland', date: '2017-04-10', name: 'Ola Nordmann', role: 'rådmann' },
  },
  evidence: [
    { field: 'schemeId', quote: 'Søknad om kommunalt kompetanse- og innovasjonstilskudd 2017' },
    { field: 'applicant.name', quote: 'Vinje kommune' },
    { field: 'applicant.organisationNumber', quote: 'org.nr. 964 964 998' },
    { field: 'applicant.address', quote: 'Vinjevegen 192' },
    { field: 'applicant.postalCode', quote: '3890 Vinje' },
    { field: 'applicant.postalPlace', quote: '3890 Vinje' },
    // Across a line break in the document: whitespace is folded before comparing.
    { field: 'contact.name', quote: 'Kontaktperson er Kari Nordmann' },
    { field: 'contact.role', quote: 'kommunalsjef helse' },
    { field: 'contact.email', quote: 'e-post Kari.Nordmann@vinje.kommune.no' },
    { field: 'contact.phone', quote: 'telefon 35 06 20 00' },
    { field: 'project.category', quote: 'tilskudd til videreutdanning i psykisk helsearbeid' },
    { field: 'budget.amountRequested', quote: 'kr 1 250 000,-' },
    { field: 'signature.place', quote: 'Rauland, 10. april 2017' },
    { field: 'signature.date', quote: 'Rauland, 10. april 2017' },
    { field: 'signature.name', quote: 'Ola Nordmann' },
    { field: 'signature.role', quote: 'rådmann' },
  ],
};

const retryPolicy: RetryPolicy = { maxRetries: 2, maxDelayMs: 500 };

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...replies: Reply[]): Promise<FakeOpenAiServer> {
  server = await startFakeOpenAiServer(replies);
  return server;
}

function configFor(fake: FakeOpenAiServer, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return { apiKey, baseUrl: fake.baseUrl, model: 'gpt-test', timeoutMs: 2000, ...overrides };
}

/** Reads with the given configuration; whatever the outcome, nothing the reader returns or logs shows the key. */
async function read(config: LlmConfig | undefined, text: ReadableText = letter): Promise<LlmReading> {
  const logged: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((method) => console[method]);
  for (const method of methods) console[method] = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  try {
    const reading = await createLlmReader(config, { retry: retryPolicy }).read(text, schemes);
    assert.ok(!JSON.stringify(reading).includes(apiKey), 'the reading does not show the API key');
    assert.ok(!logged.some((line) => line.includes(apiKey)), 'no log line shows the API key');
    return reading;
  } finally {
    methods.forEach((method, index) => (console[method] = originals[index]!));
  }
}

function codes(reading: LlmReading): string[] {
  return reading.findings.map((finding) => finding.code);
}

test('a well-formed answer becomes the application, each value with its quote as provenance', async () => {
  const fake = await serve(completion(wellFormedAnswer));
  const reading = await read(configFor(fake));

  assert.deepEqual(reading.findings, []);
  assert.deepEqual(reading.application, {
    schemeId: 'kompetanse-innovasjon-2017',
    applicant: {
      name: 'Vinje kommune',
      organisationNumber: '964964998',
      address: 'Vinjevegen 192',
      postalCode: '3890',
      postalPlace: 'Vinje',
    },
    contact: {
      name: 'Kari Nordmann',
      role: 'kommunalsjef helse',
      email: 'kari.nordmann@vinje.kommune.no',
      phone: '35062000',
    },
    project: { category: 'videreutdanning' },
    budget: { amountRequested: 1250000 },
    signature: { place: 'Rauland', date: '2017-04-10', name: 'Ola Nordmann', role: 'rådmann' },
  });
  assert.deepEqual(reading.provenance['applicant.organisationNumber'], {
    method: 'llm',
    page: 1,
    source: 'org.nr. 964 964 998',
    confidence: llmConfidence.quoted,
  });
  assert.equal(reading.provenance['budget.amountRequested']?.page, 2);
  assert.equal(reading.provenance['contact.name']?.confidence, llmConfidence.quoted);
  assert.deepEqual(Object.keys(reading.provenance).sort(), [
    'applicant.address',
    'applicant.name',
    'applicant.organisationNumber',
    'applicant.postalCode',
    'applicant.postalPlace',
    'budget.amountRequested',
    'contact.email',
    'contact.name',
    'contact.phone',
    'contact.role',
    'project.category',
    'schemeId',
    'signature.date',
    'signature.name',
    'signature.place',
    'signature.role',
  ]);
  assert.ok(llmConfidence.quoted < 0.9, "below the form reader's exact matches");
});

test('the request holds the model, the instructions, the document text alone and the JSON schema', async () => {
  const fake = await serve(completion(wellFormedAnswer));
  await read(configFor(fake));

  assert.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  assert.equal(request!.method, 'POST');
  assert.equal(request!.path, '/v1/chat/completions');
  assert.equal(request!.headers.authorization, `Bearer ${apiKey}`);
  assert.equal(request!.headers['openai-organization'], undefined);
  const body = request!.body as {
    model: string;
    messages: Array<{ role: string; content: string }>;
    response_format: { type: string; json_schema: { name: string; strict: boolean; schema: JsonSchema } };
  };
  assert.deepEqual(Object.keys(body).sort(), ['messages', 'model', 'response_format']);
  assert.equal(body.model, 'gpt-test');
  assert.deepEqual(
    body.messages.map((message) => message.role),
    ['system', 'user'],
  );
  assert.equal(body.messages[1]!.content, letterText, 'the user message is the document text and nothing else');

  const instructions = body.messages[0]!.content;
  for (const expected of [
    'kompetanse-innovasjon-2017',
    'parorende-2017',
    'psykisk-helse-rus',
    'videreutvikling',
    'YYYY-MM-DD',
    '+47',
  ]) {
    assert.ok(instructions.includes(expected), `the instructions mention ${expected}`);
  }
  assert.ok(!instructions.includes('Vinje'), 'the document is not repeated in the instructions');

  const format = body.response_format;
  assert.equal(format.type, 'json_schema');
  assert.equal(format.json_schema.strict, true);
  const application = format.json_schema.schema.properties!.application!;
  assert.deepEqual(Object.keys(application.properties!), [
    'schemeId',
    'applicant',
    'contact',
    'partners',
    'project',
    'subGoals',
    'hasOverarchingPlan',
    'budget',
    'signature',
  ]);
  assert.deepEqual(application.properties!.schemeId!.anyOf?.[0]?.enum, [
    'kompetanse-innovasjon-2017',
    'parorende-2017',
  ]);
  assert.deepEqual(application.properties!.applicant!.properties!.organisationNumber!.anyOf, [
    { type: 'string', pattern: '^\\d{9}$' },
    { type: 'null' },
  ]);
  assertStrict(format.json_schema.schema);
});

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
}

/** Strict structured outputs: every object closed, with all its properties required. */
function assertStrict(schema: JsonSchema, path = '$'): void {
  if (schema.properties) {
    assert.deepEqual(
      [...(schema.required ?? [])].sort(),
      Object.keys(schema.properties).sort(),
      `${path}: all required`,
    );
    assert.equal(schema.additionalProperties, false, `${path}: closed`);
    for (const [key, child] of Object.entries(schema.properties)) assertStrict(child, `${path}.${key}`);
  }
  for (const branch of schema.anyOf ?? []) assertStrict(branch, path);
  if (schema.items) assertStrict(schema.items, `${path}[]`);
}

test('an OCR text gives ocr+llm provenance', async () => {
  const fake = await serve(completion(wellFormedAnswer));
  const reading = await read(configFor(fake), { method: 'ocr', pages: letter.pages });
  assert.equal(reading.provenance['applicant.name']?.method, 'ocr+llm');
});

test('a 429 with retry-after is retried after the wait the server asked for', async () => {
  const fake = await serve(apiError(429, 'Rate limit reached', { 'retry-after': '0.2' }), completion(wellFormedAnswer));
  const started = Date.now();
  const reading = await read(configFor(fake));
  assert.ok(Date.now() - started >= 190, 'waited as asked');
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(reading.findings, []);
  assert.equal(reading.application.applicant?.name, 'Vinje kommune');
});

test('a 429 asking for a longer wait than the policy allows is not waited out', async () => {
  const fake = await serve(apiError(429, 'You exceeded your current quota', { 'retry-after': '3600' }));
  const reading = await read(configFor(fake));
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(reading.application, {});
  assert.deepEqual(codes(reading), ['llm-unavailable']);
  assert.equal(reading.findings[0]!.severity, 'warning');
  assert.match(reading.findings[0]!.message, /HTTP 429/);
});

test('a server error is retried a bounded number of times, then the case goes on with a finding', async () => {
  const fake = await serve(apiError(500, 'The server had an error'));
  const reading = await read(configFor(fake));
  assert.equal(fake.requests.length, 1 + retryPolicy.maxRetries);
  assert.deepEqual(reading, {
    application: {},
    provenance: {},
    findings: [
      {
        code: 'llm-unavailable',
        severity: 'warning',
        message:
          'Dokumentet ble ikke lest med språkmodell fordi tjenesten hadde en feil (HTTP 500); 3 forsøk ble gjort. ' +
          'Saken går videre med det som ble lest uten språkmodell; felter som mangler, må leses av originalen.',
      },
    ],
  });
});

test('a server that never answers times out without a retry', async () => {
  const fake = await serve('hang');
  const started = Date.now();
  const reading = await read(configFor(fake, { timeoutMs: 150 }));
  assert.ok(Date.now() - started < 1500, 'gave up after the timeout');
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(codes(reading), ['llm-unavailable']);
  assert.match(reading.findings[0]!.message, /ikke svarte innen 1 s/);
});

test('a rejected key is not retried, and the key the server echoes does not reach the finding', async () => {
  const fake = await serve(apiError(401, `Incorrect API key provided: ${apiKey}.`));
  const reading = await read(configFor(fake));
  assert.equal(fake.requests.length, 1);
  assert.deepEqual(codes(reading), ['llm-unavailable']);
  assert.match(reading.findings[0]!.message, /HTTP 401.*driftsansvarlig/);
});

test('content that is not JSON is an unusable answer', async () => {
  const fake = await serve(completion('{"application": {"applicant": {"name": "Vinje kommune"'));
  const reading = await read(configFor(fake));
  assert.deepEqual(reading.application, {});
  assert.deepEqual(codes(reading), ['llm-answer-unusable']);
  assert.match(reading.findings[0]!.message, /ikke var gyldig JSON/);
});

test('JSON that is not an answer is an unusable answer', async () => {
  const fake = await serve(completion({ name: 'Vinje kommune' }));
  const reading = await read(configFor(fake));
  assert.deepEqual(codes(reading), ['llm-answer-unusable']);
  assert.match(reading.findings[0]!.message, /søknadens form/);
});

test('a refusal is an unusable answer', async () => {
  const fake = await serve(refusal("I'm sorry, I can't help with that."));
  const reading = await read(configFor(fake));
  assert.deepEqual(reading.application, {});
  assert.deepEqual(codes(reading), ['llm-answer-unusable']);
  assert.match(reading.findings[0]!.message, /avslo/);
});

test('an answer cut off at the token limit is an unusable answer', async () => {
  const fake = await serve(completion('{"application": {', { finishReason: 'length' }));
  const reading = await read(configFor(fake));
  assert.deepEqual(codes(reading), ['llm-answer-unusable']);
});

test('values that break the contract are dropped one by one, each with a finding; the rest is kept', async () => {
  const fake = await serve(
    completion({
      application: {
        schemeId: 'kompetanse-2018',
        applicant: { name: '  Vinje\n kommune ', organisationNumber: '96496499A', postalCode: '3890' },
        contact: { email: 'Kari.Nordmann@Vinje.Kommune.no', phone: '+47 35 06 20 00' },
        project: { category: 'utdanning', startDate: '15.08.2017', participants: 12 },
        subGoals: [3, 1, 3],
        budget: { amountRequested: '1 250 000', totalCost: 1600000 },
      },
      evidence: [],
    }),
  );
  const reading = await read(configFor(fake));
  assert.deepEqual(reading.application, {
    applicant: { name: 'Vinje kommune', postalCode: '3890' },
    contact: { email: 'kari.nordmann@vinje.kommune.no' },
    project: { participants: 12 },
    subGoals: [1, 3],
    budget: { totalCost: 1600000 },
  });
  assert.deepEqual(
    reading.findings.map((finding) => [finding.code, finding.severity, finding.field]),
    [
      ['llm-value-dropped', 'warning', 'schemeId'],
      ['llm-value-dropped', 'warning', 'applicant.organisationNumber'],
      ['llm-value-dropped', 'warning', 'contact.phone'],
      ['llm-value-dropped', 'warning', 'project.category'],
      ['llm-value-dropped', 'warning', 'project.startDate'],
      ['llm-value-dropped', 'warning', 'budget.amountRequested'],
    ],
  );
  assert.equal(
    reading.findings[1]!.message,
    'Språkmodellen leste «Organisasjonsnummer» som «96496499A», men verdien har ikke riktig form og ble forkastet. ' +
      'Les verdien av originalen.',
  );
  assert.match(reading.findings[0]!.message, /«kompetanse-2018», men verdien er ikke en av ordningene/);
  assert.ok(!('applicant.organisationNumber' in reading.provenance), 'no provenance for a dropped value');
});

test('a category must belong to the scheme the model chose', async () => {
  const fake = await serve(
    completion({ application: { schemeId: 'parorende-2017', project: { category: 'videreutdanning' } }, evidence: [] }),
  );
  const reading = await read(configFor(fake));
  assert.deepEqual(reading.application, { schemeId: 'parorende-2017' });
  assert.deepEqual(codes(reading), ['llm-value-dropped']);
  assert.equal(reading.findings[0]!.field, 'project.category');
});

test('a value whose quote is not in the document, or that has no quote, gets low confidence and no source', async () => {
  const fake = await serve(
    completion({
      application: {
        applicant: { name: 'Vinje kommune', organisationNumber: '964964998', municipalityNumber: '0834' },
      },
      evidence: [
        { field: 'applicant.name', quote: 'VINJE  KOMMUNE' },
        { field: 'applicant.organisationNumber', quote: 'Organisasjonsnummer: 964964998' },
      ],
    }),
  );
  const reading = await read(configFor(fake));
  assert.deepEqual(reading.provenance['applicant.name'], {
    method: 'llm',
    page: 1,
    source: 'VINJE KOMMUNE',
    confidence: llmConfidence.quoted,
  });
  assert.deepEqual(reading.provenance['applicant.organisationNumber'], {
    method: 'llm',
    source: '',
    confidence: llmConfidence.unquoted,
  });
  assert.deepEqual(reading.provenance['applicant.municipalityNumber'], {
    method: 'llm',
    source: '',
    confidence: llmConfidence.unquoted,
  });
  assert.ok(llmConfidence.unquoted < 0.7, "below validation's low-confidence threshold");
  assert.deepEqual(reading.findings, []);
});

test('without configuration nothing is sent, and a finding says the model was not used', async () => {
  const fake = await serve(completion(wellFormedAnswer));
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  // Were the client to fall back to its own environment variables, it would reach the fake server.
  process.env.OPENAI_API_KEY = apiKey;
  process.env.OPENAI_BASE_URL = fake.baseUrl;
  try {
    const config = loadConfig({ LOG_LEVEL: 'info' }, { dotenv: false });
    assert.equal(config.llm, undefined);
    const reading = await read(config.llm);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(reading.application, {});
    assert.deepEqual(reading.provenance, {});
    assert.deepEqual(
      reading.findings.map((finding) => [finding.code, finding.severity]),
      [['llm-not-configured', 'info']],
    );
  } finally {
    for (const [name, value] of [
      ['OPENAI_API_KEY', saved.key],
      ['OPENAI_BASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test('a document without text is not sent', async () => {
  const fake = await serve(completion(wellFormedAnswer));
  const reading = await read(configFor(fake), { pages: [{ number: 1, text: ' \n ' }] });
  assert.equal(fake.requests.length, 0);
  assert.deepEqual(reading, { application: {}, provenance: {}, findings: [] });
});

test('the model is configured by a key, or by a base URL alone for a keyless server', async () => {
  const env = (vars: Record<string, string>) => loadConfig(vars, { dotenv: false }).llm;
  assert.deepEqual(env({ OPENAI_API_KEY: apiKey }), {
    apiKey,
    baseUrl: undefined,
    model: 'gpt-4.1-mini',
    timeoutMs: 60_000,
  });
  assert.deepEqual(
    env({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1', OPENAI_TIMEOUT_MS: '120000' }),
    {
      apiKey: undefined,
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1',
      timeoutMs: 120_000,
    },
  );
  assert.equal(env({ OPENAI_API_KEY: '  ', OPENAI_MODEL: 'gpt-4o' }), undefined, 'a blank key is no key');
  assert.throws(() => env({ OPENAI_BASE_URL: 'localhost:11434' }), /OPENAI_BASE_URL must be an http\(s\) URL/);

  const fake = await serve(completion(wellFormedAnswer));
  const reading = await read({ ...configFor(fake), apiKey: undefined });
  assert.equal(reading.application.applicant?.name, 'Vinje kommune', 'a keyless server is asked all the same');
});

test('merging: the model fills only what the form reader left empty, and form values win', () => {
  const form: Reading = {
    application: {
      schemeId: null,
      applicant: { name: 'Vinje kommune', organisationNumber: '964964998' },
      partners: [],
      budget: { amountRequested: 1250000 },
    },
    provenance: {
      schemeId: { method: 'form', source: 'Til Fylkesmannen', confidence: 0.2 },
      'applicant.name': { method: 'form', page: 1, source: 'Søker (kommune): Vinje kommune', confidence: 1 },
      'applicant.organisationNumber': { method: 'form', page: 1, source: 'Org.nr.: 964 964 998', confidence: 1 },
      'budget.amountRequested': { method: 'form', page: 2, source: 'Søknadsbeløp: kr 1 250 000,-', confidence: 1 },
    },
    findings: [{ code: 'not-a-form', severity: 'warning', message: 'Dokumentet er ikke et utfylt søknadsskjema.' }],
  };
  const quoted = (source: string): Provenance => ({ method: 'llm', source, confidence: llmConfidence.quoted });
  const llm: Reading = {
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      applicant: { name: 'Vinje', municipalityNumber: '0834' },
      partners: ['Tokke kommune'],
      project: { category: 'videreutdanning' },
      budget: { amountRequested: 1000000, totalCost: 1600000 },
    },
    provenance: {
      schemeId: quoted('kompetanse- og innovasjonstilskudd'),
      'applicant.name': quoted('Vinje'),
      'applicant.municipalityNumber': quoted('0834'),
      partners: quoted('Tokke kommune'),
      'project.category': quoted('videreutdanning'),
      'budget.amountRequested': quoted('1 000 000'),
      'budget.totalCost': quoted('1 600 000'),
    },
    findings: [
      { code: 'llm-value-dropped', severity: 'warning', field: 'applicant.organisationNumber', message: '…' },
      { code: 'llm-value-dropped', severity: 'warning', field: 'contact.phone', message: '…' },
    ],
  };
  const merged = mergeReadings(form, llm);

  assert.deepEqual(merged.application, {
    schemeId: 'kompetanse-innovasjon-2017',
    applicant: { name: 'Vinje kommune', organisationNumber: '964964998', municipalityNumber: '0834' },
    partners: ['Tokke kommune'],
    project: { category: 'videreutdanning' },
    budget: { amountRequested: 1250000, totalCost: 1600000 },
  });
  assert.deepEqual(merged.provenance, {
    schemeId: llm.provenance.schemeId,
    'applicant.name': form.provenance['applicant.name'],
    'applicant.organisationNumber': form.provenance['applicant.organisationNumber'],
    'applicant.municipalityNumber': llm.provenance['applicant.municipalityNumber'],
    partners: llm.provenance.partners,
    'project.category': llm.provenance['project.category'],
    'budget.amountRequested': form.provenance['budget.amountRequested'],
    'budget.totalCost': llm.provenance['budget.totalCost'],
  });
  assert.deepEqual(
    merged.findings.map((finding) => [finding.code, finding.field]),
    [
      ['not-a-form', undefined],
      ['llm-value-dropped', 'contact.phone'],
    ],
    "the model's findings on values the form had are dropped with those values",
  );
  assert.deepEqual(form.application.partners, [], 'the readings are not changed');
});

test("merging: the model's category is not taken under another scheme than the model's", () => {
  const merged = mergeReadings(
    { application: { schemeId: 'parorende-2017' }, provenance: {} },
    {
      application: {
        schemeId: 'kompetanse-innovasjon-2017',
        project: { category: 'videreutdanning', title: 'Kompetanseløft' },
      },
      provenance: {},
    },
  );
  assert.deepEqual(merged.application, { schemeId: 'parorende-2017', project: { title: 'Kompetanseløft' } });
});
