import { application } from './application.ts';
import { grantFollowUp } from './follow-up.ts';
import { inboxSweep } from './inbox-sweep.ts';
import { paymentRun } from './payment-run.ts';
import { pot } from './pot.ts';
import { setVersioningBehaviours } from './versioning.ts';

setVersioningBehaviours({ application, grantFollowUp, inboxSweep, pot, paymentRun });

export { application, grantFollowUp, inboxSweep, pot, paymentRun };
