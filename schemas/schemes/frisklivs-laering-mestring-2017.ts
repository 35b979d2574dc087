import type { SchemeInput } from '../scheme.ts';

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
  // Set per county; Telemark's deadline.
  deadline: { date: '2017-04-15', timeZone: 'Europe/Oslo' },
  serviceDays: 21,
  money: { total: 17_700_000, scope: 'national', earmarks: [] },
  categories: [
    { id: 'oppstart', labels: ['Oppstart av nytt tilbud', 'Oppstart av nytt tilbod'], words: ['Oppstart', 'Nytt tilbud', 'Nytt tilbod'] },
    {
      id: 'videreutvikling',
      labels: ['Videreutvikling av eksisterende tilbud', 'Vidareutvikling av eksisterande tilbod'],
      words: ['Videreutvikling', 'Vidareutvikling', 'Eksisterende tilbud', 'Eksisterande tilbod'],
    },
  ],
  eligibility: { applicantKind: 'municipality' },
} satisfies SchemeInput;
