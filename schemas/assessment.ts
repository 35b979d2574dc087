/**
 * The assessment of a routed case, by concern: the caseworkers' requests (`assessment/inputs.ts`), the case's state
 * (`assessment/state.ts`), its audit log (`assessment/audit.ts`), the rules of the case
 * (`assessment/case-assessment.ts`)
 * and what a joining document may change (`assessment/merge.ts`). Field paths are read and set in `rules/fields.ts`.
 */
export * from './assessment/audit.ts';
export * from './assessment/case-assessment.ts';
export * from './assessment/inputs.ts';
export * from './assessment/merge.ts';
export * from './assessment/state.ts';
export { fieldSchema, withField } from './rules/fields.ts';
