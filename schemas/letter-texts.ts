import type { DecisionKind } from './decision-grounds.ts';
import type { FollowUpLetterKind, LetterTemplateInput, LetterTemplateSetInput } from './letter-template.ts';

/**
 * The decision letters every scheme sends unless its definition overrides them (`decisions.letterTemplates`), in
 * Bokmål and Nynorsk. Written to a municipality, so the applicant is addressed as «dere»/«de». Placeholders:
 * {office} {officeEmail} {reference} {date} {applicant} {contactPerson} {schemeName} {projectTitle}
 * {amountRequested} {amountGranted} {acceptDeadline} {reportingDeadline} {appealBody} {caseworker} {approver}
 * {explanation}; lists: `reasons`, `conditions`. The letters that follow a decision (`followUpLetters`) have the same
 * placeholders and {decisionDate} {newDeadline} {amountPaid} {amountClaimed} {paymentDeadline} {appealReceived}
 * {previousAmount}.
 */

type Section = LetterTemplateInput['sections'][number];

const nb = {
  labels: { date: 'Vår dato', reference: 'Vår referanse', caseworker: 'Saksbehandler', page: 'Side {page} av {pages}' },
  facts: (granted: boolean) => [
    { label: 'Saksnummer', value: '{reference}' },
    { label: 'Søker', value: '{applicant}' },
    { label: 'Kontaktperson', value: '{contactPerson}' },
    { label: 'Tilskuddsordning', value: '{schemeName}' },
    { label: 'Prosjekt', value: '{projectTitle}' },
    { label: 'Søknadsbeløp', value: '{amountRequested}' },
    { label: 'Innvilget beløp', value: '{amountGranted}' },
    ...(granted
      ? [
          { label: 'Frist for aksept', value: '{acceptDeadline}' },
          { label: 'Rapporteringsfrist', value: '{reportingDeadline}' },
        ]
      : []),
  ],
  reference: {
    paragraphs: ['Vi viser til søknaden deres om tilskudd fra ordningen {schemeName} til prosjektet «{projectTitle}».'],
  } satisfies Section,
  grantTerms: [
    {
      heading: 'Vilkår for tilskuddet',
      paragraphs: ['Tilskuddet gis på disse vilkårene:'],
      list: 'conditions',
    },
    {
      heading: 'Aksept av tilskuddet',
      paragraphs: [
        'Dersom dere tar imot tilskuddet, sender dere utfylt og underskrevet akseptskjema med kontonummeret tilskuddet skal utbetales til, til {officeEmail} innen {acceptDeadline}. Merk sendingen med saksnummer {reference}.',
        'Tilskuddet utbetales når vi har mottatt akseptskjemaet. Har vi ikke mottatt det innen fristen, kan tilsagnet falle bort.',
      ],
    },
    {
      heading: 'Rapportering',
      paragraphs: [
        'Rapport om bruken av tilskuddet skal være kommet inn til {office} innen {reportingDeadline}. Rapporten skal vise hva som er gjort, i hvilken grad målene er nådd og hva midlene er brukt til, med regnskap for tilskuddet.',
      ],
    },
  ] satisfies Section[],
  rights: [
    {
      heading: 'Klagerett',
      paragraphs: [
        'Dere kan klage på vedtaket, jf. forvaltningsloven § 28. Klagefristen er tre uker fra dere mottok dette brevet (forvaltningsloven § 29).',
        'Klagen sendes til {office}, som vurderer saken på nytt. Opprettholder vi vedtaket, sender vi klagen til {appealBody}, som avgjør klagen. Klagen må være skriftlig, vise til saksnummer {reference}, si hva dere klager over og hvilken endring dere ønsker.',
      ],
    },
    {
      heading: 'Innsyn i saken',
      paragraphs: ['Dere har rett til å se dokumentene i saken, jf. forvaltningsloven §§ 18 og 19.'],
    },
  ] satisfies Section[],
  closing: {
    greeting: 'Med hilsen',
    signatures: [
      { name: '{approver}', role: 'leder' },
      { name: '{caseworker}', role: 'saksbehandler' },
    ],
    note: 'Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne signaturer.',
  },
  email: {
    subject: 'Vedtak om tilskudd – {reference}',
    text: [
      'Vedlagt er vedtaket i sak {reference} om søknaden fra {applicant} om tilskudd fra ordningen {schemeName} til prosjektet «{projectTitle}».',
      'Har dere spørsmål, kan dere svare på denne e-posten eller skrive til {officeEmail}. Oppgi saksnummer {reference}.',
      'Med hilsen\n{office}',
    ].join('\n\n'),
  },
};

const nn = {
  labels: { date: 'Vår dato', reference: 'Vår referanse', caseworker: 'Sakshandsamar', page: 'Side {page} av {pages}' },
  facts: (granted: boolean) => [
    { label: 'Saksnummer', value: '{reference}' },
    { label: 'Søkjar', value: '{applicant}' },
    { label: 'Kontaktperson', value: '{contactPerson}' },
    { label: 'Tilskotsordning', value: '{schemeName}' },
    { label: 'Prosjekt', value: '{projectTitle}' },
    { label: 'Søknadsbeløp', value: '{amountRequested}' },
    { label: 'Innvilga beløp', value: '{amountGranted}' },
    ...(granted
      ? [
          { label: 'Frist for aksept', value: '{acceptDeadline}' },
          { label: 'Rapporteringsfrist', value: '{reportingDeadline}' },
        ]
      : []),
  ],
  reference: {
    paragraphs: ['Vi viser til søknaden dykkar om tilskot frå ordninga {schemeName} til prosjektet «{projectTitle}».'],
  } satisfies Section,
  grantTerms: [
    {
      heading: 'Vilkår for tilskotet',
      paragraphs: ['Tilskotet blir gitt på desse vilkåra:'],
      list: 'conditions',
    },
    {
      heading: 'Aksept av tilskotet',
      paragraphs: [
        'Dersom de tek imot tilskotet, sender de utfylt og underskrive akseptskjema med kontonummeret tilskotet skal betalast ut til, til {officeEmail} innan {acceptDeadline}. Merk sendinga med saksnummer {reference}.',
        'Tilskotet blir betalt ut når vi har fått akseptskjemaet. Har vi ikkje fått det innan fristen, kan tilsegna falle bort.',
      ],
    },
    {
      heading: 'Rapportering',
      paragraphs: [
        'Rapport om bruken av tilskotet skal vere komen inn til {office} innan {reportingDeadline}. Rapporten skal vise kva som er gjort, i kva grad måla er nådde og kva midlane er brukte til, med rekneskap for tilskotet.',
      ],
    },
  ] satisfies Section[],
  rights: [
    {
      heading: 'Klagerett',
      paragraphs: [
        'De kan klage på vedtaket, jf. forvaltningslova § 28. Klagefristen er tre veker frå de fekk dette brevet (forvaltningslova § 29).',
        'Klagen skal sendast til {office}, som vurderer saka på nytt. Held vi fast på vedtaket, sender vi klagen til {appealBody}, som avgjer klagen. Klagen må vere skriftleg, vise til saksnummer {reference}, seie kva de klagar over og kva endring de ønskjer.',
      ],
    },
    {
      heading: 'Innsyn i saka',
      paragraphs: ['De har rett til å sjå dokumenta i saka, jf. forvaltningslova §§ 18 og 19.'],
    },
  ] satisfies Section[],
  closing: {
    greeting: 'Med helsing',
    signatures: [
      { name: '{approver}', role: 'leiar' },
      { name: '{caseworker}', role: 'sakshandsamar' },
    ],
    note: 'Dokumentet er elektronisk godkjent og har difor ingen handskrivne signaturar.',
  },
  email: {
    subject: 'Vedtak om tilskot – {reference}',
    text: [
      'Vedlagt er vedtaket i sak {reference} om søknaden frå {applicant} om tilskot frå ordninga {schemeName} til prosjektet «{projectTitle}».',
      'Har de spørsmål, kan de svare på denne e-posten eller skrive til {officeEmail}. Oppgi saksnummer {reference}.',
      'Med helsing\n{office}',
    ].join('\n\n'),
  },
};

/** What differs between the kinds of decision letter, in one written standard. */
interface DecisionWording {
  title: Record<DecisionKind, string>;
  /** The decision itself (a full grant also says on which grounds). */
  decision: Record<DecisionKind, string[]>;
  /** The heading of the reasons, and what leads into their list, for the kinds that give reasons. */
  reasons: { heading: string } & Record<Exclude<DecisionKind, 'approved-in-full'>, string>;
}

type Wording = typeof nb & DecisionWording;

/**
 * The four decision letters in one written standard: a grant sets terms, a refusal does not; every letter tells the
 * rights. */
function decisionLetters(w: Wording): Record<DecisionKind, LetterTemplateInput> {
  const letter = (kind: DecisionKind): LetterTemplateInput => {
    const granted = kind === 'approved-in-full' || kind === 'approved-in-part';
    return {
      title: w.title[kind],
      email: w.email,
      labels: w.labels,
      facts: w.facts(granted),
      sections: [
        w.reference,
        { heading: 'Vedtak', paragraphs: w.decision[kind] },
        ...(kind === 'approved-in-full'
          ? []
          : [
              {
                heading: w.reasons.heading,
                paragraphs: [w.reasons[kind]],
                list: 'reasons',
                afterList: ['{explanation}'],
              },
            ]),
        ...(granted ? w.grantTerms : []),
        ...w.rights,
      ],
      closing: w.closing,
    };
  };
  return {
    'approved-in-full': letter('approved-in-full'),
    'approved-in-part': letter('approved-in-part'),
    rejected: letter('rejected'),
    dismissed: letter('dismissed'),
  };
}

/** What the letters after a decision say, in one written standard. */
interface FollowUpWording {
  titles: Record<FollowUpLetterKind, string>;
  subjects: Record<FollowUpLetterKind, string>;
  decisionReference: string;
  facts: Record<
    | 'reference'
    | 'applicant'
    | 'scheme'
    | 'project'
    | 'granted'
    | 'paid'
    | 'claimed'
    | 'paymentDeadline'
    | 'acceptDeadline'
    | 'newDeadline'
    | 'reportingDeadline'
    | 'appealReceived',
    string
  >;
  bodies: Record<FollowUpLetterKind, Section[]>;
  emailText: string;
}

/**
 * The letters after a decision in one written standard; a claim-back and a changed decision are decisions, and tell the
 * rights. */
function followUpLetters(w: typeof nb, f: FollowUpWording): Record<FollowUpLetterKind, LetterTemplateInput> {
  const fact = (label: keyof FollowUpWording['facts'], value: string) => ({ label: f.facts[label], value });
  const common = [
    fact('reference', '{reference}'),
    fact('applicant', '{applicant}'),
    fact('scheme', '{schemeName}'),
    fact('project', '{projectTitle}'),
    fact('granted', '{amountGranted}'),
  ];
  const facts: Record<FollowUpLetterKind, LetterTemplateInput['facts']> = {
    'acceptance-reminder': [...common, fact('acceptDeadline', '{newDeadline}')],
    'report-reminder': [...common, fact('reportingDeadline', '{reportingDeadline}')],
    'report-overdue': [...common, fact('reportingDeadline', '{reportingDeadline}')],
    'report-more': [...common, fact('newDeadline', '{newDeadline}')],
    'claim-back': [
      ...common,
      fact('paid', '{amountPaid}'),
      fact('claimed', '{amountClaimed}'),
      fact('paymentDeadline', '{paymentDeadline}'),
    ],
    'appeal-changed': [...common, fact('appealReceived', '{appealReceived}')],
    'appeal-upheld': [...common, fact('appealReceived', '{appealReceived}')],
  };
  const isDecision = (kind: FollowUpLetterKind) => kind === 'claim-back' || kind === 'appeal-changed';
  const letter = (kind: FollowUpLetterKind): LetterTemplateInput => ({
    title: f.titles[kind],
    email: { subject: f.subjects[kind], text: f.emailText },
    labels: w.labels,
    facts: facts[kind],
    sections: [{ paragraphs: [f.decisionReference] }, ...f.bodies[kind], ...(isDecision(kind) ? w.rights : [])],
    closing: w.closing,
  });
  return {
    'acceptance-reminder': letter('acceptance-reminder'),
    'report-reminder': letter('report-reminder'),
    'report-overdue': letter('report-overdue'),
    'report-more': letter('report-more'),
    'claim-back': letter('claim-back'),
    'appeal-changed': letter('appeal-changed'),
    'appeal-upheld': letter('appeal-upheld'),
  };
}

const nbFollowUps = followUpLetters(nb, {
  titles: {
    'acceptance-reminder': 'Påminnelse om aksept av tilskudd – {schemeName}',
    'report-reminder': 'Påminnelse om rapport for tilskudd – {schemeName}',
    'report-overdue': 'Rapporteringsfristen er ute – tilskudd fra {schemeName}',
    'report-more': 'Rapporten er mangelfull – tilskudd fra {schemeName}',
    'claim-back': 'Vedtak om tilbakebetaling av tilskudd – {schemeName}',
    'appeal-changed': 'Vedtak i klagesak – endret vedtak om tilskudd – {schemeName}',
    'appeal-upheld': 'Klagen er sendt til {appealBody} – {schemeName}',
  },
  subjects: {
    'acceptance-reminder': 'Påminnelse om aksept – {reference}',
    'report-reminder': 'Påminnelse om rapport – {reference}',
    'report-overdue': 'Rapporten mangler – {reference}',
    'report-more': 'Vi trenger mer i rapporten – {reference}',
    'claim-back': 'Krav om tilbakebetaling – {reference}',
    'appeal-changed': 'Vedtak i klagesak – {reference}',
    'appeal-upheld': 'Klagen er oversendt – {reference}',
  },
  decisionReference:
    'Vi viser til vedtaket vårt av {decisionDate} i sak {reference} om tilskudd fra ordningen {schemeName} til prosjektet «{projectTitle}».',
  facts: {
    reference: 'Saksnummer',
    applicant: 'Søker',
    scheme: 'Tilskuddsordning',
    project: 'Prosjekt',
    granted: 'Innvilget beløp',
    paid: 'Utbetalt beløp',
    claimed: 'Beløp som kreves tilbake',
    paymentDeadline: 'Betalingsfrist',
    acceptDeadline: 'Ny frist for aksept',
    newDeadline: 'Frist for utfyllende rapport',
    reportingDeadline: 'Rapporteringsfrist',
    appealReceived: 'Klagen mottatt',
  },
  bodies: {
    'acceptance-reminder': [
      {
        heading: 'Vi har ikke mottatt akseptskjemaet',
        paragraphs: [
          'Fristen for å akseptere tilskuddet på {amountGranted} var {acceptDeadline}, og vi har ikke mottatt akseptskjemaet fra dere.',
          'Dersom dere tar imot tilskuddet, sender dere utfylt og underskrevet akseptskjema med kontonummeret tilskuddet skal utbetales til, til {officeEmail} innen {newDeadline}. Merk sendingen med saksnummer {reference}.',
          'Har vi ikke mottatt akseptskjemaet innen den nye fristen, kan tilsagnet falle bort. Har dere sendt skjemaet i mellomtiden, kan dere se bort fra denne påminnelsen.',
        ],
      },
    ],
    'report-reminder': [
      {
        heading: 'Rapport om bruken av tilskuddet',
        paragraphs: [
          'Rapporteringsfristen for tilskuddet på {amountGranted} er {reportingDeadline}. Vi har ikke mottatt rapporten fra dere.',
          'Rapporten skal vise hva som er gjort, i hvilken grad målene er nådd og hva midlene er brukt til, med regnskap for tilskuddet. Send rapporten til {officeEmail} og merk den med saksnummer {reference}.',
          'Kommer rapporten ikke inn, kan {office} holde tilbake resten av tilskuddet eller kreve tilskuddet tilbake. Har dere sendt rapporten i mellomtiden, kan dere se bort fra denne påminnelsen.',
        ],
      },
    ],
    'report-overdue': [
      {
        heading: 'Rapporten er ikke kommet inn',
        paragraphs: [
          'Rapporteringsfristen for tilskuddet på {amountGranted} var {reportingDeadline}. Fristen er ute, og vi har ikke mottatt rapporten fra dere.',
          'Send rapporten til {officeEmail} så snart som mulig, og merk den med saksnummer {reference}. Rapporten skal vise hva som er gjort, i hvilken grad målene er nådd og hva midlene er brukt til, med regnskap for tilskuddet.',
          'Saken er sendt til saksbehandleren. Uten rapport kan {office} holde tilbake resten av tilskuddet eller kreve tilskuddet tilbake. Har dere sendt rapporten i mellomtiden, kan dere se bort fra dette brevet.',
        ],
      },
    ],
    'report-more': [
      {
        heading: 'Vi trenger flere opplysninger i rapporten',
        paragraphs: [
          'Vi har mottatt rapporten deres om bruken av tilskuddet på {amountGranted}, men den gir ikke alt vi trenger for å godkjenne den:',
          '{explanation}',
          'Send en utfyllende rapport til {officeEmail} innen {newDeadline}, og merk den med saksnummer {reference}. Til rapporten er godkjent, kan {office} holde tilbake resten av tilskuddet.',
        ],
      },
    ],
    'claim-back': [
      {
        heading: 'Vedtak',
        paragraphs: [
          '{office} krever tilbake {amountClaimed} av tilskuddet på {amountGranted}, som {applicant} har fått utbetalt {amountPaid} av.',
        ],
      },
      {
        heading: 'Begrunnelse',
        paragraphs: [
          'Tilskuddet er gitt på vilkår om at det brukes som beskrevet i søknaden, og at midler som ikke er brukt som forutsatt, betales tilbake.',
          '{explanation}',
        ],
      },
      {
        heading: 'Tilbakebetaling',
        paragraphs: [
          'Beløpet betales til {office} innen {paymentDeadline}. Merk innbetalingen med saksnummer {reference}.',
        ],
      },
    ],
    'appeal-changed': [
      {
        heading: 'Vedtak',
        paragraphs: [
          'Vi har behandlet klagen deres, mottatt {appealReceived}, og endrer vedtaket (forvaltningsloven § 33). {office} innvilger {applicant} et tilskudd på {amountGranted} til prosjektet «{projectTitle}». Tidligere innvilget beløp var {previousAmount}.',
        ],
      },
      { heading: 'Begrunnelse', paragraphs: ['{explanation}'] },
      {
        heading: 'Aksept og rapportering',
        paragraphs: [
          'Vilkårene i det opprinnelige vedtaket gjelder fortsatt. Rapport om bruken av tilskuddet skal være kommet inn til {office} innen {reportingDeadline}.',
        ],
      },
    ],
    'appeal-upheld': [
      {
        heading: 'Klagen er sendt videre',
        paragraphs: [
          'Vi har vurdert klagen deres, mottatt {appealReceived}, og finner ikke grunn til å endre vedtaket. Klagen er derfor sendt til {appealBody}, som avgjør den endelig (forvaltningsloven § 33).',
          '{explanation}',
          '{appealBody} vil sende dere svar direkte. Vedtaket i klagesaken kan ikke påklages (forvaltningsloven § 28).',
        ],
      },
    ],
  },
  emailText: [
    'Vedlagt er et brev i sak {reference} om tilskudd fra ordningen {schemeName} til prosjektet «{projectTitle}».',
    'Har dere spørsmål, kan dere svare på denne e-posten eller skrive til {officeEmail}. Oppgi saksnummer {reference}.',
    'Med hilsen\n{office}',
  ].join('\n\n'),
});

const nnFollowUps = followUpLetters(nn, {
  titles: {
    'acceptance-reminder': 'Påminning om aksept av tilskot – {schemeName}',
    'report-reminder': 'Påminning om rapport for tilskot – {schemeName}',
    'report-overdue': 'Rapporteringsfristen er ute – tilskot frå {schemeName}',
    'report-more': 'Rapporten er mangelfull – tilskot frå {schemeName}',
    'claim-back': 'Vedtak om tilbakebetaling av tilskot – {schemeName}',
    'appeal-changed': 'Vedtak i klagesak – endra vedtak om tilskot – {schemeName}',
    'appeal-upheld': 'Klagen er send til {appealBody} – {schemeName}',
  },
  subjects: {
    'acceptance-reminder': 'Påminning om aksept – {reference}',
    'report-reminder': 'Påminning om rapport – {reference}',
    'report-overdue': 'Rapporten manglar – {reference}',
    'report-more': 'Vi treng meir i rapporten – {reference}',
    'claim-back': 'Krav om tilbakebetaling – {reference}',
    'appeal-changed': 'Vedtak i klagesak – {reference}',
    'appeal-upheld': 'Klagen er send vidare – {reference}',
  },
  decisionReference:
    'Vi viser til vedtaket vårt av {decisionDate} i sak {reference} om tilskot frå ordninga {schemeName} til prosjektet «{projectTitle}».',
  facts: {
    reference: 'Saksnummer',
    applicant: 'Søkjar',
    scheme: 'Tilskotsordning',
    project: 'Prosjekt',
    granted: 'Innvilga beløp',
    paid: 'Utbetalt beløp',
    claimed: 'Beløp som blir kravd tilbake',
    paymentDeadline: 'Betalingsfrist',
    acceptDeadline: 'Ny frist for aksept',
    newDeadline: 'Frist for utfyllande rapport',
    reportingDeadline: 'Rapporteringsfrist',
    appealReceived: 'Klagen motteken',
  },
  bodies: {
    'acceptance-reminder': [
      {
        heading: 'Vi har ikkje fått akseptskjemaet',
        paragraphs: [
          'Fristen for å akseptere tilskotet på {amountGranted} var {acceptDeadline}, og vi har ikkje fått akseptskjemaet frå dykk.',
          'Dersom de tek imot tilskotet, sender de utfylt og underskrive akseptskjema med kontonummeret tilskotet skal betalast ut til, til {officeEmail} innan {newDeadline}. Merk sendinga med saksnummer {reference}.',
          'Har vi ikkje fått akseptskjemaet innan den nye fristen, kan tilsegna falle bort. Har de sendt skjemaet i mellomtida, kan de sjå bort frå denne påminninga.',
        ],
      },
    ],
    'report-reminder': [
      {
        heading: 'Rapport om bruken av tilskotet',
        paragraphs: [
          'Rapporteringsfristen for tilskotet på {amountGranted} er {reportingDeadline}. Vi har ikkje fått rapporten frå dykk.',
          'Rapporten skal vise kva som er gjort, i kva grad måla er nådde og kva midlane er brukte til, med rekneskap for tilskotet. Send rapporten til {officeEmail} og merk han med saksnummer {reference}.',
          'Kjem ikkje rapporten inn, kan {office} halde tilbake resten av tilskotet eller krevje tilskotet tilbake. Har de sendt rapporten i mellomtida, kan de sjå bort frå denne påminninga.',
        ],
      },
    ],
    'report-overdue': [
      {
        heading: 'Rapporten er ikkje komen inn',
        paragraphs: [
          'Rapporteringsfristen for tilskotet på {amountGranted} var {reportingDeadline}. Fristen er ute, og vi har ikkje fått rapporten frå dykk.',
          'Send rapporten til {officeEmail} så snart som mogleg, og merk han med saksnummer {reference}. Rapporten skal vise kva som er gjort, i kva grad måla er nådde og kva midlane er brukte til, med rekneskap for tilskotet.',
          'Saka er send til saksbehandlaren. Utan rapport kan {office} halde tilbake resten av tilskotet eller krevje tilskotet tilbake. Har de sendt rapporten i mellomtida, kan de sjå bort frå dette brevet.',
        ],
      },
    ],
    'report-more': [
      {
        heading: 'Vi treng fleire opplysningar i rapporten',
        paragraphs: [
          'Vi har fått rapporten dykkar om bruken av tilskotet på {amountGranted}, men han gir ikkje alt vi treng for å godkjenne han:',
          '{explanation}',
          'Send ein utfyllande rapport til {officeEmail} innan {newDeadline}, og merk han med saksnummer {reference}. Til rapporten er godkjend, kan {office} halde tilbake resten av tilskotet.',
        ],
      },
    ],
    'claim-back': [
      {
        heading: 'Vedtak',
        paragraphs: [
          '{office} krev tilbake {amountClaimed} av tilskotet på {amountGranted}, som {applicant} har fått utbetalt {amountPaid} av.',
        ],
      },
      {
        heading: 'Grunngiving',
        paragraphs: [
          'Tilskotet er gitt på vilkår om at det blir brukt slik det er skildra i søknaden, og at midlar som ikkje er brukte som føresett, skal betalast tilbake.',
          '{explanation}',
        ],
      },
      {
        heading: 'Tilbakebetaling',
        paragraphs: [
          'Beløpet skal betalast til {office} innan {paymentDeadline}. Merk innbetalinga med saksnummer {reference}.',
        ],
      },
    ],
    'appeal-changed': [
      {
        heading: 'Vedtak',
        paragraphs: [
          'Vi har handsama klagen dykkar, motteken {appealReceived}, og endrar vedtaket (forvaltningslova § 33). {office} gir {applicant} eit tilskot på {amountGranted} til prosjektet «{projectTitle}». Tidlegare innvilga beløp var {previousAmount}.',
        ],
      },
      { heading: 'Grunngiving', paragraphs: ['{explanation}'] },
      {
        heading: 'Aksept og rapportering',
        paragraphs: [
          'Vilkåra i det opphavlege vedtaket gjeld framleis. Rapport om bruken av tilskotet skal vere komen inn til {office} innan {reportingDeadline}.',
        ],
      },
    ],
    'appeal-upheld': [
      {
        heading: 'Klagen er send vidare',
        paragraphs: [
          'Vi har vurdert klagen dykkar, motteken {appealReceived}, og finn ikkje grunn til å endre vedtaket. Klagen er difor send til {appealBody}, som avgjer han endeleg (forvaltningslova § 33).',
          '{explanation}',
          '{appealBody} sender svar direkte til dykk. Vedtaket i klagesaka kan ikkje klagast på (forvaltningslova § 28).',
        ],
      },
    ],
  },
  emailText: [
    'Vedlagt er eit brev i sak {reference} om tilskot frå ordninga {schemeName} til prosjektet «{projectTitle}».',
    'Har de spørsmål, kan de svare på denne e-posten eller skrive til {officeEmail}. Oppgi saksnummer {reference}.',
    'Med helsing\n{office}',
  ].join('\n\n'),
});

export const defaultLetterTemplates = {
  nb: {
    ...nbFollowUps,
    ...decisionLetters({
      ...nb,
      title: {
        'approved-in-full': 'Vedtak om tilskudd – {schemeName}',
        'approved-in-part': 'Vedtak om tilskudd – {schemeName}',
        rejected: 'Vedtak om avslag på søknad om tilskudd – {schemeName}',
        dismissed: 'Vedtak om avvisning av søknad om tilskudd – {schemeName}',
      },
      decision: {
        'approved-in-full': [
          '{office} innvilger {applicant} et tilskudd på {amountGranted} til prosjektet «{projectTitle}». Søknaden er innvilget i sin helhet.',
          'Vedtaket er gjort med hjemmel i regelverket for {schemeName}. Prosjektet ligger innenfor ordningens formål, og søknaden oppfyller vilkårene i regelverket.',
        ],
        'approved-in-part': [
          '{office} innvilger {applicant} et tilskudd på {amountGranted} til prosjektet «{projectTitle}». Dere søkte om {amountRequested}, og søknaden er dermed delvis innvilget.',
        ],
        rejected: ['{office} avslår søknaden fra {applicant} om tilskudd til prosjektet «{projectTitle}».'],
        dismissed: [
          '{office} avviser søknaden fra {applicant} om tilskudd til prosjektet «{projectTitle}». Søknaden er ikke realitetsbehandlet.',
        ],
      },
      reasons: {
        heading: 'Begrunnelse',
        'approved-in-part':
          'Vedtaket er gjort med hjemmel i regelverket for {schemeName}. Vi har ikke kunnet innvilge hele søknadsbeløpet fordi:',
        rejected: 'Vedtaket er gjort med hjemmel i regelverket for {schemeName}. Søknaden er avslått fordi:',
        dismissed: 'Søknaden oppfyller ikke de formelle kravene i regelverket for {schemeName}:',
      },
    }),
  },
  nn: {
    ...nnFollowUps,
    ...decisionLetters({
      ...nn,
      title: {
        'approved-in-full': 'Vedtak om tilskot – {schemeName}',
        'approved-in-part': 'Vedtak om tilskot – {schemeName}',
        rejected: 'Vedtak om avslag på søknad om tilskot – {schemeName}',
        dismissed: 'Vedtak om avvising av søknad om tilskot – {schemeName}',
      },
      decision: {
        'approved-in-full': [
          '{office} gir {applicant} eit tilskot på {amountGranted} til prosjektet «{projectTitle}». Søknaden er innvilga i sin heilskap.',
          'Vedtaket er gjort med heimel i regelverket for {schemeName}. Prosjektet ligg innanfor formålet med ordninga, og søknaden oppfyller vilkåra i regelverket.',
        ],
        'approved-in-part': [
          '{office} gir {applicant} eit tilskot på {amountGranted} til prosjektet «{projectTitle}». De søkte om {amountRequested}, og søknaden er dermed delvis innvilga.',
        ],
        rejected: ['{office} avslår søknaden frå {applicant} om tilskot til prosjektet «{projectTitle}».'],
        dismissed: [
          '{office} avviser søknaden frå {applicant} om tilskot til prosjektet «{projectTitle}». Søknaden er ikkje realitetshandsama.',
        ],
      },
      reasons: {
        heading: 'Grunngiving',
        'approved-in-part':
          'Vedtaket er gjort med heimel i regelverket for {schemeName}. Vi har ikkje kunna innvilge heile søknadsbeløpet fordi:',
        rejected: 'Vedtaket er gjort med heimel i regelverket for {schemeName}. Søknaden er avslått fordi:',
        dismissed: 'Søknaden oppfyller ikkje dei formelle krava i regelverket for {schemeName}:',
      },
    }),
  },
} satisfies LetterTemplateSetInput;
