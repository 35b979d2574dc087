import type { SchemeInput } from '../scheme.ts';

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
  deadline: { date: '2017-04-01', timeZone: 'Europe/Oslo' },
  serviceDays: 30,
  money: { total: 8_000_000, scope: 'national', earmarks: [] },
  categories: [
    { id: 'oppstart', labels: ['Oppstart av nytt tilbud', 'Oppstart av nytt tilbod'], words: ['Oppstart', 'Nytt tilbud', 'Nytt tilbod'] },
    {
      id: 'videreutvikling',
      labels: ['Videreutvikling av eksisterende tilbud', 'Vidareutvikling av eksisterande tilbod'],
      words: ['Videreutvikling', 'Vidareutvikling', 'Eksisterende tilbud', 'Eksisterande tilbod'],
    },
  ],
  // Applications built on an overarching plan for systematic work with relatives are prioritised.
  asksOverarchingPlan: true,
  eligibility: { applicantKind: 'municipality' },
} satisfies SchemeInput;
