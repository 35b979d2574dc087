/**
 * An error whose message says everything the person needs: the CLI prints it as one line, without a stack trace.
 * Used for what a user can fix (configuration, missing tools, a port already taken), never for bugs.
 */
export class UserError extends Error {
  override name = 'UserError';
}
