import { sandboxTasks, type SandboxTask } from './sandbox-tasks.ts';

/**
 * One sandbox process: parses the documents its parent sends, one at a time, and answers with the result or the error.
 * */
interface Job {
  id: number;
  task: SandboxTask;
  args: unknown[];
}

process.on('message', async ({ id, task, args }: Job) => {
  try {
    const value = await (sandboxTasks[task] as (...a: unknown[]) => Promise<unknown>)(...args);
    process.send!({ id, ok: true, value });
  } catch (error) {
    const { name, message, code, detail } = error as {
      name?: string;
      message?: string;
      code?: string;
      detail?: string;
    };
    // The kernel's cap makes a large allocation fail with a RangeError that a parser may wrap in its own message.
    const outOfMemory = /allocation failed|out of memory/i.test(String(message));
    process.send!({ id, ok: false, error: { name, message, code, detail, outOfMemory } });
  }
});

// The parent is gone (killed, or exited without closing us): nothing more will come.
process.on('disconnect', () => process.exit(0));
