import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  journalCsv,
  publicJournal,
  register,
  type JournalEntry,
  type JournalRegistration,
} from '../schemas/journal.ts';

const caseId = 'SAK-7F3A9C21';
const vinje = { name: 'Vinje kommune', kind: 'organisation' } as const;

/** A competence grant's life as the journal sees it: application to appeal. */
const registrations: JournalRegistration[] = [
  {
    date: '2017-04-10',
    direction: 'inn',
    kind: 'application',
    party: vinje,
    title: 'Søknad om kompetanse- og innovasjonstilskudd 2017 – Kompetanseløft i heimetenesta',
    source: 'mailroom/inbox/soknad.pdf@e1',
  },
  {
    date: '2017-04-10',
    direction: 'inn',
    kind: 'appendix',
    party: vinje,
    title: 'Vedlegg: budsjett og prosjektplan',
    source: 'mailroom/inbox/budsjett.xlsx.pdf@e2',
  },
  {
    date: '2017-06-12',
    direction: 'ut',
    kind: 'letter',
    party: vinje,
    title: 'Vedtak om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
    source: 'SAK-7F3A9C21-vedtak',
  },
  {
    date: '2017-07-03',
    direction: 'inn',
    kind: 'acceptance',
    party: { name: 'Kari Nordmann', kind: 'person' },
    title: 'Aksept av tilskudd, signert av Kari Nordmann',
    source: 'mailroom/inbox/aksept.pdf@e3',
  },
  {
    date: '2017-07-04',
    direction: 'inn',
    kind: 'appeal',
    party: vinje,
    title: 'Klage på vedtak – kontaktperson Ola Tveit (ola.tveit@vinje.kommune.no)',
    source: 'mailroom/inbox/klage.pdf@e4',
  },
];

function journalOf(list: JournalRegistration[]): JournalEntry[] {
  return list.reduce<JournalEntry[]>((journal, registration) => register(journal, caseId, registration).journal, []);
}

test('every incoming document and outgoing letter gets the next running number; registering one again changes nothing', () => {
  const journal = journalOf(registrations);
  assert.deepEqual(
    journal.map((e) => [e.number, e.direction, e.kind]),
    [
      [1, 'inn', 'application'],
      [2, 'inn', 'appendix'],
      [3, 'ut', 'letter'],
      [4, 'inn', 'acceptance'],
      [5, 'inn', 'appeal'],
    ],
  );
  const again = register(journal, caseId, registrations[3]!);
  assert.equal(again.entry.number, 4);
  assert.equal(again.journal.length, 5);
  assert.equal(
    register(journal, caseId, {
      ...registrations[0]!,
      source: 'SAK-7F3A9C21-purring-aksept',
      direction: 'ut',
      kind: 'letter',
      title: 'Påminnelse',
    }).entry.number,
    6,
  );
});

test('the archive export holds every entry as it is', () => {
  const csv = journalCsv(journalOf(registrations));
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.equal(lines[0], 'Saksnummer;Løpenummer;Dokumentnummer;Dato;Retning;Dokumenttype;Avsender/mottaker;Tittel');
  assert.equal(
    lines[4],
    'SAK-7F3A9C21;4;SAK-7F3A9C21/4;2017-07-03;inn;Aksept;Kari Nordmann;"Aksept av tilskudd, signert av Kari Nordmann"',
  );
});

test("the public journal screens persons' names and e-mail addresses, and keeps the organisations'", () => {
  const open = publicJournal(journalOf(registrations), ['Ola Tveit']);
  assert.deepEqual(
    open.map((e) => [e.party.name, e.title]),
    [
      ['Vinje kommune', 'Søknad om kompetanse- og innovasjonstilskudd 2017 – Kompetanseløft i heimetenesta'],
      ['Vinje kommune', 'Vedlegg: budsjett og prosjektplan'],
      ['Vinje kommune', 'Vedtak om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd'],
      ['[skjermet]', 'Aksept av tilskudd, signert av [skjermet]'],
      ['Vinje kommune', 'Klage på vedtak – kontaktperson [skjermet] ([skjermet])'],
    ],
  );
  const csv = journalCsv(open);
  for (const name of ['Kari Nordmann', 'Ola Tveit', 'ola.tveit@'])
    assert.ok(!csv.includes(name), `${name} is not in the public journal`);
});

test('a name is screened as a whole name only: «Kari» in «Karius» stays, other spacing and case do not matter', () => {
  const [entry] = publicJournal(
    journalOf([{ ...registrations[0]!, title: 'Karius-prosjektet, jf. samtale med KARI  NORDMANN' }]),
    ['Kari Nordmann', 'Kari'],
  );
  assert.equal(entry!.title, 'Karius-prosjektet, jf. samtale med [skjermet]');
});
