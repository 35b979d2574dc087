import { ApplicationFailure } from '@temporalio/activity';
import { loadSchemes } from '../config/schemes.ts';
import type { Scheme } from '../schemas/scheme.ts';

export interface SchemeDeps {
  /** The scheme definitions; loaded from `schemas/schemes/` when not given. */
  schemes?: Scheme[];
}

/** The scheme's data as a case needs it whole: a decided case keeps the terms it was decided under. */
export function createSchemeActivities({ schemes: given }: SchemeDeps) {
  let schemes: Promise<Scheme[]> | undefined = given && Promise.resolve(given);
  return {
    async schemeById({ schemeId }: { schemeId: string }): Promise<Scheme> {
      const scheme = (await (schemes ??= loadSchemes())).find((s) => s.id === schemeId);
      if (!scheme) throw ApplicationFailure.nonRetryable(`unknown scheme ${schemeId}`, 'UnknownScheme');
      return scheme;
    },
  };
}
