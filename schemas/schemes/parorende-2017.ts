import type { SchemeInput } from '../scheme.ts';
import { standardDecisionReasons, standardGrantConditions } from '../grant-terms.ts';

export default {
  id: 'parorende-2017',
  name: 'Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver',
  titlePatterns: [
    'pårørende med krevende omsorgsoppgaver',
    'pårørande med krevjande omsorgsoppgåver',
    'helhetlige tilbud til pårørende',
    'heilskaplege tilbod til pårørande',
  ],
  authority: 'Helsedirektoratet',
  queue: 'helsedir-parorende',
  queueName: 'Helsedirektoratet – pårørendetilskudd',
  deadline: { date: '2017-04-01', timeZone: 'Europe/Oslo' },
  serviceDays: 30,
  money: { total: 8_000_000, scope: 'national', earmarks: [] },
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
  // Applications built on an overarching plan for systematic work with relatives are prioritised.
  asksOverarchingPlan: true,
  decisions: {
    schemeName: {
      nb: 'Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver',
      nn: 'Tilskot til heilskaplege tilbod til pårørande med krevjande omsorgsoppgåver',
    },
    office: {
      name: 'Helsedirektoratet',
      address: ['Postboks 220 Skøyen', '0213 Oslo'],
      email: 'postmottak@helsedir.no',
    },
    // The Directorate's own scheme (seed 003): its superior ministry hears appeals.
    appealBody: 'Helse- og omsorgsdepartementet',
    // SPEC §6: the seed's reporting deadline stands for the schemes that give none.
    reportingDeadline: '2018-04-01',
    reasons: standardDecisionReasons,
    conditions: standardGrantConditions,
  },
  eligibility: { applicantKind: 'municipality' },
} satisfies SchemeInput;
