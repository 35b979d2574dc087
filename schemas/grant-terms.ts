import type { DecisionReason, GrantCondition } from './decision-grounds.ts';

/**
 * The grounds and conditions the health-and-care schemes share (SPEC §§6–7), as data their definitions list; a scheme
 * with other grounds or conditions lists its own. Each text is a sentence the letter prints as it stands; conditions
 * may name {office} and {reportingDeadline}.
 */

export const standardDecisionReasons: DecisionReason[] = [
  {
    id: 'utenfor-formalet',
    text: {
      nb: 'Prosjektet, eller en del av det, faller utenfor formålet med tilskuddsordningen.',
      nn: 'Prosjektet, eller ein del av det, fell utanfor formålet med tilskotsordninga.',
    },
    appliesTo: ['approved-in-part', 'rejected'],
  },
  {
    id: 'lavere-prioritet',
    text: {
      nb: 'Søknadene til ordningen er større enn midlene som er til fordeling, og etter en samlet vurdering er søknaden prioritert lavere enn andre søknader.',
      nn: 'Søknadene til ordninga er større enn midlane som er til fordeling, og etter ei samla vurdering er søknaden prioritert lågare enn andre søknader.',
    },
    appliesTo: ['approved-in-part', 'rejected'],
  },
  {
    id: 'ufullstendig-etter-purring',
    text: {
      nb: 'Søknaden er ikke fullstendig, og opplysningene som mangler, er ikke kommet inn etter at vi ba om dem.',
      nn: 'Søknaden er ikkje fullstendig, og opplysningane som manglar, er ikkje komne inn etter at vi bad om dei.',
    },
    appliesTo: ['approved-in-part', 'rejected', 'dismissed'],
  },
  {
    id: 'etter-soknadsfristen',
    text: {
      nb: 'Søknaden kom inn etter søknadsfristen.',
      nn: 'Søknaden kom inn etter søknadsfristen.',
    },
    appliesTo: ['dismissed'],
  },
  {
    id: 'ikke-tilskuddsberettiget',
    text: {
      nb: 'Søkeren er ikke blant dem som kan få tilskudd fra ordningen.',
      nn: 'Søkjaren er ikkje blant dei som kan få tilskot frå ordninga.',
    },
    appliesTo: ['dismissed', 'rejected'],
  },
];

export const standardGrantConditions: GrantCondition[] = [
  {
    id: 'bruk-som-soknaden',
    text: {
      nb: 'Tilskuddet skal brukes til prosjektet slik det er beskrevet i søknaden, og i samsvar med regelverket for ordningen.',
      nn: 'Tilskotet skal brukast til prosjektet slik det er skildra i søknaden, og i samsvar med regelverket for ordninga.',
    },
  },
  {
    id: 'rapportering',
    text: {
      nb: 'Bruken av tilskuddet skal rapporteres innen {reportingDeadline}.',
      nn: 'Bruken av tilskotet skal rapporterast innan {reportingDeadline}.',
    },
  },
  {
    id: 'tilbakebetaling',
    text: {
      nb: 'Midler som ikke er brukt som forutsatt, skal betales tilbake. {office} kan kreve tilbake tilskudd som er gitt på grunnlag av uriktige opplysninger eller ikke er brukt etter vilkårene.',
      nn: 'Midlar som ikkje er brukte som føresett, skal betalast tilbake. {office} kan krevje tilbake tilskot som er gitt på grunnlag av urette opplysningar eller ikkje er brukt etter vilkåra.',
    },
  },
  {
    id: 'kontroll',
    text: {
      nb: '{office} og Riksrevisjonen kan kontrollere at tilskuddet blir brukt etter forutsetningene (bevilgningsreglementet § 10).',
      nn: '{office} og Riksrevisjonen kan kontrollere at tilskotet blir brukt etter føresetnadene (løyvingsreglementet § 10).',
    },
  },
];
