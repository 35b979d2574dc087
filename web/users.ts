import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/**
 * The review app's users: caseworkers (each allowed some queues), approvers (who approve or send back the proposals of
 * their queues, never their own) and admins (every queue). Kept in a JSON file
 * (`WEB_USERS_FILE`, default `<data dir>/users.json`) written by `grant-intake user add`, with argon2id password
 * hashes.
 * With a trusted header (sign-in at the organisation's proxy), users still come from here, without passwords.
 */
export const RoleSchema = z.enum(['caseworker', 'approver', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'a user name is 1-64 letters, digits, dots, hyphens, underscores or @');

/** Queue names as routing makes them: `fm-telemark-helse`, `fm-telemark-helse/utdanning`, `triage`. */
export const QueueNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9/_-]{0,127}$/, 'a queue name is lower-case letters, digits, -, _ and /');

export const UserSchema = z.object({
  username: UsernameSchema,
  role: RoleSchema,
  /** The queues a caseworker or approver may see and act in; admins see every queue. */
  queues: z.array(QueueNameSchema).default([]),
  /**
   * Budget authority (budsjettdisponeringsmyndighet): may approve a payment someone else attested (SPEC §6, two
   * persons). Apart from the role: a caseworker or an approver may hold it.
   */
  budgetAuthority: z.boolean().default(false),
  /** argon2id (PHC string). Absent: the user signs in only through the trusted header. */
  passwordHash: z.string().startsWith('$argon2id$').optional(),
  createdAt: z.string(),
  /**
   * Sealed into each of the user's session cookies and compared on every request: a new one ends all their sessions
   * (cookies cannot be taken back). Made anew whenever the user is written by `put` (a new role, queues or password;
   * a user removed and added again) and when they sign out. Absent in users files from before it: `createdAt` stands
   * in, which `put` renews as well.
   */
  sessionStamp: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;

const UsersFileSchema = z.object({ users: z.array(UserSchema) });

/** What the app knows of the signed-in user (never the hash). */
export interface SignedInUser {
  username: string;
  role: Role;
  queues: string[];
  budgetAuthority: boolean;
}

/** What a session must carry to still be this user's (`UserSchema.sessionStamp`). */
export const sessionStamp = (user: User) => user.sessionStamp ?? user.createdAt;

const freshStamp = () => randomBytes(12).toString('base64url');

export const publicUser = ({ username, role, queues, budgetAuthority }: User): SignedInUser => ({
  username,
  role,
  queues: [...queues],
  budgetAuthority,
});

/** Whether the user may see and act on cases of this queue. */
export function mayAccessQueue(user: SignedInUser, queue: string | undefined): boolean {
  if (user.role === 'admin') return true;
  return queue !== undefined && user.queues.includes(queue);
}

// OWASP's argon2id baseline (m = 19 MiB, t = 2, p = 1).
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const hashOptions = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, hashOptions);

export const minPasswordLength = 10;

/** The users file, read again whenever it changes on disk (a user added while the app runs can sign in at once). */
export class UserStore {
  private cache: { mtimeMs: number; users: User[] } | undefined;
  /** Verified against when the user does not exist, so that a wrong name takes as long as a wrong password. */
  private dummyHash: Promise<string> | undefined;

  constructor(readonly path: string) {}

  async list(): Promise<User[]> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.path)).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    if (this.cache?.mtimeMs === mtimeMs) return this.cache.users;
    const parsed = UsersFileSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
    if (!parsed.success) throw new Error(`the users file ${this.path} is invalid: ${parsed.error.issues[0]!.message}`);
    this.cache = { mtimeMs, users: parsed.data.users };
    return parsed.data.users;
  }

  async get(username: string): Promise<User | undefined> {
    const name = UsernameSchema.safeParse(username);
    if (!name.success) return undefined;
    return (await this.list()).find((user) => user.username === name.data);
  }

  /** The user when the password is theirs; undefined otherwise (same work either way). */
  async verifyPassword(username: string, password: string): Promise<User | undefined> {
    const user = await this.get(username);
    if (!user?.passwordHash) {
      this.dummyHash ??= hashPassword('not a password of anyone');
      await verify(await this.dummyHash, password).catch(() => false);
      return undefined;
    }
    return (await verify(user.passwordHash, password).catch(() => false)) ? user : undefined;
  }

  /** Adds a user, or replaces one of the same name (a new password, role, queues or budget authority). */
  async put(input: {
    username: string;
    role: Role;
    queues: string[];
    password?: string;
    budgetAuthority?: boolean;
  }): Promise<User> {
    if (input.password !== undefined && input.password.length < minPasswordLength) {
      throw new Error(`the password must be at least ${minPasswordLength} characters`);
    }
    const user = UserSchema.parse({
      username: input.username,
      role: input.role,
      queues: input.role === 'admin' ? [] : input.queues,
      budgetAuthority: input.budgetAuthority ?? false,
      ...(input.password !== undefined && { passwordHash: await hashPassword(input.password) }),
      createdAt: new Date().toISOString(),
      sessionStamp: freshStamp(),
    });
    if (user.role !== 'admin' && user.queues.length === 0)
      throw new Error(`a ${user.role} needs at least one queue (--queues)`);
    const users = (await this.list()).filter((u) => u.username !== user.username);
    await this.write([...users, user].sort((a, b) => a.username.localeCompare(b.username)));
    return user;
  }

  /**
   * Gives a caseworker one more queue, keeping everything else of theirs (an admin assigning a case of that queue).
   * Their sessions go on: the queue is looked up on every request, and a grant takes nothing away.
   */
  async grantQueue(username: string, queue: string): Promise<User | undefined> {
    const users = await this.list();
    const user = users.find((u) => u.username === username);
    if (!user || user.role !== 'caseworker') return undefined;
    if (user.queues.includes(queue)) return user;
    const granted = { ...user, queues: [...user.queues, QueueNameSchema.parse(queue)] };
    await this.write(users.map((u) => (u === user ? granted : u)));
    return granted;
  }

  /**
   * Ends every session of the user, in every browser and on every instance (signing out: a copy of the cookie is
   * worth nothing after it). */
  async endSessions(username: string): Promise<void> {
    const users = await this.list();
    await this.write(users.map((u) => (u.username === username ? { ...u, sessionStamp: freshStamp() } : u)));
  }

  async remove(username: string): Promise<boolean> {
    const users = await this.list();
    const kept = users.filter((u) => u.username !== UsernameSchema.parse(username));
    if (kept.length === users.length) return false;
    await this.write(kept);
    return true;
  }

  private async write(users: User[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
    this.cache = undefined;
  }
}
