// Thread: the consumer thread. A log line that can repeat as fast as messages arrive (a put-back,
// a poison message given up on): at most one every `everyMs`, the next one saying how many were
// left out meanwhile, so a flood of bad messages cannot flood the log.

export class ThrottledLine {
  private loggedAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly everyMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `line`, unless one was logged less than `everyMs` ago (then it is counted). */
  say(line: string): void {
    const at = this.now();
    if (at - this.loggedAt < this.everyMs) {
      this.suppressed += 1;
      return;
    }
    this.loggedAt = at;
    const left = this.suppressed;
    this.suppressed = 0;
    this.log(left === 0 ? line : `${line} (and ${left} more like it not logged since the last such line)`);
  }
}
