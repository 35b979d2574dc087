import type { DecisionKind } from './decision-grounds.ts';
import type { LetterTemplateInput, LetterTemplateSetInput } from './letter-template.ts';

/**
 * The decision letters every scheme sends unless its definition overrides them (`decisions.letterTemplates`), in
 * Bokmål and Nynorsk. Written to a municipality, so the applicant is addressed as «dere»/«de». Placeholders:
 * {office} {officeEmail} {reference} {date} {applicant} {contactPerson} {schemeName} {projectTitle}
 * {amountRequested} {amountGranted} {acceptDeadline} {reportingDeadline} {appealBody} {caseworker} {approver}
 * {explanation}; lists: `reasons`, `conditions`.
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

export const defaultLetterTemplates = {
  nb: decisionLetters({
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
  nn: decisionLetters({
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
} satisfies LetterTemplateSetInput;
