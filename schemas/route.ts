import { z } from 'zod';
import type { Application } from './application.ts';
import type { Finding } from './finding.ts';
import type { Scheme } from './scheme.ts';

/** Cases that cannot be tied to a scheme, or are not applications, wait here for a person to sort them. */
export const TRIAGE_QUEUE = 'triage';

/** Where a case stands in its queue: what a caseworker is expected to do next. */
export const CaseStageSchema = z.enum(['triage', 'needs-correction', 'ready-for-assessment']);
export type CaseStage = z.infer<typeof CaseStageSchema>;
export const CasePrioritySchema = z.enum(['high', 'normal', 'low']);
export type CasePriority = z.infer<typeof CasePrioritySchema>;

export const RouteSchema = z.object({
  /** The caseworker queue: the managing authority's, per earmark where the money is earmarked; or `triage`. */
  queue: z.string(),
  stage: CaseStageSchema,
  priority: CasePrioritySchema,
  /** Why the priority is what it is, for the caseworker (Bokmål). */
  priorityReason: z.string().optional(),
});
export type Route = z.infer<typeof RouteSchema>;

/**
 * The queue, stage and priority of a read and validated application. Everything comes from the scheme's data and the
 * findings: a new scheme routes by its own definition.
 */
export function routeApplication(
  application: Application,
  scheme: Scheme | undefined,
  findings: readonly Finding[],
): Route {
  const notAnApplication = findings.some((f) => f.code === 'not-an-application');
  if (!scheme || notAnApplication) return { queue: TRIAGE_QUEUE, stage: 'triage', priority: 'normal' };

  const category = scheme.categories.find((c) => c.id === application.project?.category);
  // Earmarked money is assessed per earmark; without a known category the case stays in the authority's queue.
  const queue = category?.earmark ? `${scheme.queue}/${category.earmark}` : scheme.queue;
  const stage: CaseStage = findings.some((f) => f.severity === 'error') ? 'needs-correction' : 'ready-for-assessment';

  if (scheme.asksOverarchingPlan && application.hasOverarchingPlan === true) {
    return {
      queue,
      stage,
      priority: 'high',
      priorityReason: 'Kommunen har en overordnet plan for systematisk arbeid med pårørende.',
    };
  }
  if (findings.some((f) => f.code === 'received-after-deadline')) {
    return { queue, stage, priority: 'low', priorityReason: 'Søknaden kom inn etter fristen.' };
  }
  return { queue, stage, priority: 'normal' };
}
