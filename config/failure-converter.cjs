// Failures' messages and stack traces go into a payload, so the payload codec encrypts them too. CommonJS on
// purpose: the worker require()s this path in the main thread and webpack bundles it into the workflow sandbox.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
