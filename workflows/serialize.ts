/**
 * Runs async steps one at a time, in the order they were asked for (samples-typescript's safe-message-handlers
 * mutex): an Update handler that awaits an activity cannot interleave with another that reads the same state.
 */
export function serialize() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const run = last.then(step, step);
    last = run.catch(() => undefined);
    return run;
  };
}
