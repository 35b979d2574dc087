import type { SchemeInput } from '../scheme.ts';
import { standardDecisionReasons, standardGrantConditions } from '../grant-terms.ts';
import { fylkesmannenITelemark, telemarkMunicipalities2017 } from '../telemark-2017.ts';

export default {
  id: 'kompetanse-innovasjon-2017',
  name: 'Kommunalt kompetanse- og innovasjonstilskudd',
  titlePatterns: [
    'kompetanse- og innovasjonstilskudd',
    'kompetanse- og innovasjonstilskot',
    'kompetanse og innovasjonstilskudd',
    // Helsedirektoratet's and NK LMH's name for the same scheme (seed 003).
    'kompetanseutviklings- og innovasjonstilskudd',
  ],
  authority: 'Fylkesmannen i Telemark, sosial- og helseavdelingen',
  queue: 'fm-telemark-helse',
  queueName: 'Statsforvalteren i Vestfold og Telemark – helse',
  deadline: { date: '2017-04-15', timeZone: 'Europe/Oslo' },
  serviceDays: 21,
  money: {
    total: 12_977_000,
    scope: 'county',
    earmarks: [
      { id: 'utdanning', name: 'Grunn-, videre- og etterutdanning', amount: 8_875_000 },
      { id: 'bpa-innovasjon', name: 'Brukerstyrt personlig assistanse og innovasjon', amount: 4_102_000 },
    ],
  },
  categories: [
    { id: 'grunnutdanning', earmark: 'utdanning', labels: ['Grunnutdanning'], words: ['Grunnutdanninga'] },
    {
      id: 'videreutdanning',
      earmark: 'utdanning',
      labels: ['Videreutdanning', 'Vidareutdanning'],
      words: ['Videreutdanningen', 'Vidareutdanninga'],
    },
    {
      id: 'etterutdanning',
      earmark: 'utdanning',
      labels: ['Etterutdanning'],
      words: ['Etterutdanningen', 'Etterutdanninga'],
    },
    {
      id: 'psykisk-helse-rus',
      earmark: 'utdanning',
      labels: [
        'Kompetansetiltak innen psykisk helse- og rusarbeid',
        'Kompetansetiltak innan psykisk helse- og rusarbeid',
      ],
      words: [
        'Kompetansetiltak',
        'Psykisk helse og rus',
        'Psykisk helse- og rusarbeid',
        'Psykisk helse-rus',
        'Psykisk helse',
      ],
    },
    {
      id: 'bpa-opplaering',
      earmark: 'bpa-innovasjon',
      labels: [
        'Opplæring i brukerstyrt personlig assistanse (BPA)',
        'Opplæring i brukarstyrt personleg assistanse (BPA)',
      ],
      words: [
        'Opplæring',
        'Opplæring BPA',
        'BPA-opplæring',
        'BPA',
        'Brukerstyrt personlig assistanse',
        'Brukarstyrt personleg assistanse',
      ],
    },
    { id: 'innovasjon', earmark: 'bpa-innovasjon', labels: ['Innovasjonsprosjekt'], words: ['Innovasjon'] },
  ],
  subGoals: [
    { number: 1, text: 'Sterkere brukerinnflytelse og bedre samspill med pårørende, frivillige og lokalsamfunnet.' },
    {
      number: 2,
      text: 'Forebygge og utsette behov for kompenserende tjenester og bidra til at brukerne opprettholder eller gjenvinner sin funksjonsevne og selvstendighet.',
    },
    {
      number: 3,
      text: 'Styrket lederkompetanse, fagutvikling, større faglig bredde, tilstrekkelig, kompetent og stabil bemanning.',
    },
    { number: 4, text: 'Etisk refleksjon og kunnskapsbasert praksis.' },
  ],
  decisions: {
    schemeName: {
      nb: 'Kommunalt kompetanse- og innovasjonstilskudd',
      nn: 'Kommunalt kompetanse- og innovasjonstilskot',
    },
    office: fylkesmannenITelemark,
    // Fylkesmannen manages the scheme on Helsedirektoratet's behalf (seed 003), so the Directorate hears appeals.
    appealBody: 'Helsedirektoratet',
    // The announcement's «Rapporteringsfrist: 01.04.2018» (seed 000).
    reportingDeadline: '2018-04-01',
    reasons: standardDecisionReasons,
    conditions: standardGrantConditions,
  },
  eligibility: {
    applicantKind: 'municipality',
    county: { name: 'Telemark', municipalities: telemarkMunicipalities2017 },
  },
} satisfies SchemeInput;
