export { application } from './application.ts';
export { grantFollowUp } from './follow-up.ts';
export { inboxSweep } from './inbox-sweep.ts';
export { pot } from './pot.ts';
export { paymentRun } from './payment-run.ts';
