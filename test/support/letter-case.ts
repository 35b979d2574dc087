import type { DecisionLetterFactsInput } from '../../schemas/decision-letter.ts';
import type { WrittenStandard } from '../../schemas/written-standard.ts';

/** A case of the competence grant as its decision letter sees it: Vinje asked for kr 1 400 000 on 12 June 2017. */
export function vinjeLetterFacts(standard: WrittenStandard): Omit<DecisionLetterFactsInput, 'reference'> {
  return {
    date: '2017-06-12',
    standard,
    applicant: { name: 'Vinje kommune', address: 'Vinjevegen 192', postalCode: '3890', postalPlace: 'Vinje' },
    contact: { name: 'Kari Nordmann', email: 'kari.nordmann@vinje.kommune.no' },
    projectTitle: 'Kompetanseløft i heimetenesta',
    amountRequested: 1_400_000,
    caseworker: 'Lillian Olsen Opedal',
    approver: 'Per Hansen',
  };
}
