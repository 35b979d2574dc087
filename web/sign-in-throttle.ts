/** How failed sign-ins are slowed down. */
export interface SignInThrottleOptions {
  /** Failures of one user name from one address before each next attempt waits. */
  freeFailures: number;
  /** The first wait; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** Failures from one address, any user names, before that address waits too (password spraying). */
  addressFailures: number;
}

interface Failures {
  count: number;
  last: number;
}

/**
 * Failed sign-ins slow down per user name *and* client address: a stranger guessing a caseworker's password from
 * elsewhere waits longer and longer, while the caseworker signs in from their own address as usual (a lockout for
 * everyone would let anyone who knows a name keep its owner out). An address that fails for many names waits as well.
 * Only failures count: an office behind one proxy signs in as often as it likes. In memory and bounded: a restart
 * forgets, which costs an attacker nothing they could not get by waiting.
 */
export class SignInThrottle {
  private readonly byUserAndAddress = new Map<string, Failures>();
  private readonly byAddress = new Map<string, Failures>();
  private static readonly maxEntries = 100_000;

  constructor(private readonly options: SignInThrottleOptions) {}

  /** Milliseconds this attempt must still wait (0: go ahead). */
  waitMs(username: string, address: string, now = Date.now()): number {
    const own = this.wait(this.byUserAndAddress, `${username}\n${address}`, this.options.freeFailures, now);
    const spraying = this.wait(this.byAddress, address, this.options.addressFailures, now);
    return Math.max(own, spraying);
  }

  failed(username: string, address: string, now = Date.now()): void {
    this.count(this.byUserAndAddress, `${username}\n${address}`, now);
    this.count(this.byAddress, address, now);
  }

  succeeded(username: string, address: string): void {
    this.byUserAndAddress.delete(`${username}\n${address}`);
  }

  private wait(map: Map<string, Failures>, key: string, free: number, now: number): number {
    const entry = map.get(key);
    if (!entry) return 0;
    if (now - entry.last > this.options.windowMs) {
      map.delete(key);
      return 0;
    }
    if (entry.count < free) return 0;
    const delay = Math.min(this.options.baseDelayMs * 2 ** (entry.count - free), this.options.maxDelayMs);
    return Math.max(0, entry.last + delay - now);
  }

  private count(map: Map<string, Failures>, key: string, now: number): void {
    const entry = map.get(key);
    const fresh = !entry || now - entry.last > this.options.windowMs;
    map.delete(key);
    map.set(key, { count: fresh ? 1 : entry.count + 1, last: now });
    if (map.size > SignInThrottle.maxEntries) map.delete(map.keys().next().value!);
  }
}
