import { Command } from 'commander';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { minPasswordLength, QueueNameSchema, RoleSchema, UserStore, UsernameSchema, type Role } from '../web/users.ts';

export const userUsage = `grant-intake user: the review app's users (WEB_USERS_FILE, default <data dir>/users.json)

  grant-intake user add <username> --role caseworker|approver|admin [--queues q1,q2] [--budget-authority]
                        [--no-password]
        adds the user, or replaces one of that name; asks for the password (read from stdin when it is not a
        terminal). A caseworker needs --queues (e.g. fm-telemark-helse/utdanning,triage), and so does an approver
        (who approves or sends back the proposals of those queues); an admin sees every queue.
        --budget-authority: the user may approve payments that another person attested (budsjettdisponerings-
        myndighet); never their own attestation.
        --no-password: the user signs in only through the organisation's proxy (WEB_TRUSTED_HEADER).
  grant-intake user list
  grant-intake user remove <username>`;

interface AddOptions {
  role?: string;
  queues: string[];
  password: boolean;
  budgetAuthority?: boolean;
}

/** `grant-intake user …`: manages the users file the review app signs people in from. */
export function userCommand({
  input = process.stdin,
  output = process.stderr,
}: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {}): Command {
  const usersFile = () => loadConfig().web.usersFile;
  const command = new Command('user').configureHelp({ formatHelp: () => `${userUsage}\n` });
  command
    .command('add')
    .argument('[username]')
    .option('--role <role>')
    .option(
      '--queues <q1,q2>',
      '',
      (value: string) =>
        value
          .split(',')
          .map((q) => q.trim())
          .filter(Boolean),
      [],
    )
    .option('--budget-authority')
    .option('--no-password')
    .action(async (username: string | undefined, options: AddOptions) => {
      const { name, role, queues, password } = validateAdd(username, options);
      const secret = password ? await readPassword(input, output) : undefined;
      const added = await new UserStore(usersFile())
        .put({
          username: name,
          role,
          queues,
          budgetAuthority: options.budgetAuthority === true,
          ...(secret !== undefined && { password: secret }),
        })
        .catch((error: Error) => {
          throw new UserError(error.message);
        });
      console.log(
        `${added.username}: ${added.role}${added.role !== 'admin' ? ` in ${added.queues.join(', ')}` : ''}${added.budgetAuthority ? ' with budget authority' : ''}${added.passwordHash ? '' : ' (sign-in through the trusted header only)'} — ${usersFile()}`,
      );
    });
  command.command('list').action(async () => {
    for (const u of await new UserStore(usersFile()).list())
      console.log(
        `${u.username}\t${u.role}\t${u.role === 'admin' ? '(all queues)' : u.queues.join(',')}${u.budgetAuthority ? '\tbudget authority' : ''}${u.passwordHash ? '' : '\t(no password)'}`,
      );
  });
  command
    .command('remove')
    .argument('[username]')
    .action(async (username: string | undefined) => {
      const name = UsernameSchema.safeParse(username ?? '');
      if (!name.success) throw new UserError(`usage: grant-intake user remove <username>`);
      if (!(await new UserStore(usersFile()).remove(name.data)))
        throw new UserError(`no user named ${name.data} in ${usersFile()}`);
      console.log(`${name.data} removed`);
    });
  return command;
}

function validateAdd(
  username: string | undefined,
  options: AddOptions,
): { name: string; role: Role; queues: string[]; password: boolean } {
  const name = UsernameSchema.safeParse(username ?? '');
  if (!name.success)
    throw new UserError(
      `usage: grant-intake user add <username> --role caseworker|approver|admin --queues q1,q2 (${name.error.issues[0]!.message})`,
    );
  const parsedRole = RoleSchema.safeParse(options.role);
  if (!parsedRole.success) throw new UserError('--role must be caseworker, approver or admin');
  for (const queue of options.queues) {
    if (!QueueNameSchema.safeParse(queue).success)
      throw new UserError(`--queues: "${queue}" is not a queue name (lower-case letters, digits, -, _ and /)`);
  }
  if (parsedRole.data !== 'admin' && options.queues.length === 0)
    throw new UserError(`a ${parsedRole.data} needs --queues (e.g. --queues fm-telemark-helse/utdanning)`);
  return { name: name.data, role: parsedRole.data, queues: options.queues, password: options.password };
}

/** The password: typed twice without echo at a terminal, else the first line of stdin (for scripts and tests). */
async function readPassword(
  input: NodeJS.ReadStream | NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  const tty = (input as NodeJS.ReadStream).isTTY === true;
  const password = tty ? await promptHidden(input as NodeJS.ReadStream, output, 'Password: ') : await firstLine(input);
  if (password.length < minPasswordLength)
    throw new UserError(`the password must be at least ${minPasswordLength} characters`);
  if (tty && (await promptHidden(input as NodeJS.ReadStream, output, 'Again: ')) !== password)
    throw new UserError('the passwords differ');
  return password;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    input.setRawMode(true);
    input.resume();
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new UserError('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    input.on('data', onData);
  });
}
