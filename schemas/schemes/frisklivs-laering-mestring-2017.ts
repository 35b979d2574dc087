import type { SchemeInput } from '../scheme.ts';
import { standardDecisionReasons, standardGrantConditions } from '../grant-terms.ts';
import { fylkesmannenITelemark } from '../telemark-2017.ts';

export default {
  id: 'frisklivs-laering-mestring-2017',
  name: 'Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud',
  titlePatterns: [
    'frisklivs-, lærings- og mestringstilbud',
    'frisklivs-, lærings- og meistringstilbod',
    'frisklivs- lærings- og mestringstilbud',
  ],
  authority: 'Fylkesmannen i Telemark',
  queue: 'fm-telemark-helse',
  queueName: 'Statsforvalteren i Vestfold og Telemark – helse',
  // Set per county; Telemark's deadline.
  deadline: { date: '2017-04-15', timeZone: 'Europe/Oslo' },
  serviceDays: 21,
  money: { total: 17_700_000, scope: 'national', earmarks: [] },
  categories: [
    {
      id: 'oppstart',
      labels: ['Oppstart av nytt tilbud', 'Oppstart av nytt tilbod'],
      words: ['Oppstart', 'Nytt tilbud', 'Nytt tilbod'],
    },
    {
      id: 'videreutvikling',
      labels: ['Videreutvikling av eksisterende tilbud', 'Vidareutvikling av eksisterande tilbod'],
      words: ['Videreutvikling', 'Vidareutvikling', 'Eksisterende tilbud', 'Eksisterande tilbod'],
    },
  ],
  decisions: {
    schemeName: {
      nb: 'Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud',
      nn: 'Tilskot til kommunale frisklivs-, lærings- og meistringstilbod',
    },
    office: fylkesmannenITelemark,
    // Helsedirektoratet's scheme, managed by Fylkesmannen (seed 003): the Directorate hears appeals.
    appealBody: 'Helsedirektoratet',
    // SPEC §6: the seed's reporting deadline stands for the schemes that give none.
    reportingDeadline: '2018-04-01',
    reasons: standardDecisionReasons,
    conditions: standardGrantConditions,
  },
  eligibility: { applicantKind: 'municipality' },
} satisfies SchemeInput;
