import { application } from './application.ts';
import { inboxSweep } from './inbox-sweep.ts';
import { pot } from './pot.ts';
import { setVersioningBehaviours } from './versioning.ts';

setVersioningBehaviours({ application, inboxSweep, pot });

export { application, inboxSweep, pot };
