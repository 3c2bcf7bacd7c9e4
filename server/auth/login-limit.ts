/**
 * Counts failed logins per username in a sliding window, so a password cannot be guessed at
 * the speed of the network. Kept in memory: a restart resets it, which costs an attacker a
 * restart they cannot cause.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60 * 1000,
  ) {}

  /** Milliseconds until another attempt is allowed, or 0. */
  retryAfterMs(username: string, now = Date.now()): number {
    const recent = this.#recent(username, now);
    if (recent.length < this.maxFailures) return 0;
    return (recent[0] ?? now) + this.windowMs - now;
  }

  fail(username: string, now = Date.now()): void {
    const recent = this.#recent(username, now);
    recent.push(now);
    this.#failures.set(username, recent);
    // Bound memory under a flood of made-up usernames.
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value as string);
  }

  succeed(username: string): void {
    this.#failures.delete(username);
  }

  #recent(username: string, now: number): number[] {
    return (this.#failures.get(username) ?? []).filter((t) => now - t < this.windowMs);
  }
}
