/**
 * Telemark's municipalities in 2017, by municipality number (SPEC §1). Shared by the schemes Fylkesmannen i Telemark
 * manages. */
export const telemarkMunicipalities2017 = {
  '0805': 'Porsgrunn',
  '0806': 'Skien',
  '0807': 'Notodden',
  '0811': 'Siljan',
  '0814': 'Bamble',
  '0815': 'Kragerø',
  '0817': 'Drangedal',
  '0819': 'Nome',
  '0821': 'Bø',
  '0822': 'Sauherad',
  '0826': 'Tinn',
  '0827': 'Hjartdal',
  '0828': 'Seljord',
  '0829': 'Kviteseid',
  '0830': 'Nissedal',
  '0831': 'Fyresdal',
  '0833': 'Tokke',
  '0834': 'Vinje',
} as const;

/** The office that decides the schemes Fylkesmannen i Telemark manages, as its letters name it. */
export const fylkesmannenITelemark = {
  name: 'Fylkesmannen i Telemark',
  department: { nb: 'Sosial- og helseavdelingen', nn: 'Sosial- og helseavdelinga' },
  address: ['Postboks 2603', '3702 Skien'],
  email: 'fmtepost@fylkesmannen.no',
};
