import { application } from './application.ts';
import { inboxSweep } from './inbox-sweep.ts';
import { paymentRun } from './payment-run.ts';
import { pot } from './pot.ts';
import { setVersioningBehaviours } from './versioning.ts';

setVersioningBehaviours({ application, inboxSweep, pot, paymentRun });

export { application, inboxSweep, pot, paymentRun };
