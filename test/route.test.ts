import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import type { Finding } from '../schemas/finding.ts';
import { routeApplication, TRIAGE_QUEUE } from '../schemas/route.ts';
import type { Scheme } from '../schemas/scheme.ts';

let schemes: Map<string, Scheme>;
before(async () => {
  schemes = new Map((await loadSchemes()).map((s) => [s.id, s]));
});
const scheme = (id: string) => schemes.get(id)!;
const error: Finding = {
  code: 'invalid-email',
  severity: 'error',
  field: 'contact.email',
  message: 'E-postadressen er ugyldig.',
};
const late: Finding = {
  code: 'received-after-deadline',
  severity: 'warning',
  message: 'Søknaden kom inn etter søknadsfristen.',
};

test('kompetanse-innovasjon cases go to the authority queue of their earmark', () => {
  const ki = scheme('kompetanse-innovasjon-2017');
  assert.deepEqual(routeApplication({ project: { category: 'videreutdanning' } }, ki, []), {
    queue: 'fm-telemark-helse/utdanning',
    stage: 'ready-for-assessment',
    priority: 'normal',
  });
  assert.equal(
    routeApplication({ project: { category: 'innovasjon' } }, ki, []).queue,
    'fm-telemark-helse/bpa-innovasjon',
  );
  assert.equal(routeApplication({}, ki, [error]).queue, 'fm-telemark-helse', 'no category: the authority queue');
});

test('schemes without earmarks route to their authority queue', () => {
  assert.equal(
    routeApplication({ project: { category: 'oppstart' } }, scheme('frisklivs-laering-mestring-2017'), []).queue,
    'fm-telemark-helse',
  );
  assert.equal(
    routeApplication({ project: { category: 'oppstart' } }, scheme('parorende-2017'), []).queue,
    'helsedir-parorende',
  );
});

test('errors send a case to needs-correction; an unknown scheme or a non-application to triage', () => {
  assert.equal(routeApplication({}, scheme('parorende-2017'), [error]).stage, 'needs-correction');
  assert.deepEqual(routeApplication({}, undefined, []), { queue: TRIAGE_QUEUE, stage: 'triage', priority: 'normal' });
  const notApplication: Finding = {
    code: 'not-an-application',
    severity: 'error',
    field: 'schemeId',
    message: 'Ikke en søknad.',
  };
  assert.equal(routeApplication({}, scheme('parorende-2017'), [notApplication]).queue, TRIAGE_QUEUE);
});

test('an overarching plan for work with relatives raises priority; a late application lowers it', () => {
  const parorende = scheme('parorende-2017');
  const planned = routeApplication({ hasOverarchingPlan: true, project: { category: 'oppstart' } }, parorende, []);
  assert.equal(planned.priority, 'high');
  assert.match(planned.priorityReason!, /overordnet plan/);
  assert.equal(routeApplication({ hasOverarchingPlan: false }, parorende, []).priority, 'normal');
  assert.equal(
    routeApplication({ hasOverarchingPlan: true }, scheme('frisklivs-laering-mestring-2017'), []).priority,
    'normal',
    'only where the scheme asks',
  );
  assert.equal(routeApplication({}, parorende, [late]).priority, 'low');
});
