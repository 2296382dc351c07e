// Hands the newest of a stream of values on `delayMs` after the first one not yet handed on,
// so a chart that other parts of the page redraw in the same second draws in a task of its
// own. Values offered while one is pending replace it (only the newest is drawn); the pending
// one goes out on time, so a value that changes faster than `delayMs` still shows.
export class TrailingSlot<T> {
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly deliver: (value: T) => void,
    /** What the caller shows now: offering it again delivers nothing. */
    private shown: T,
  ) {}

  offer(value: T): void {
    if (this.timer === null && Object.is(value, this.shown)) return;
    this.pending = { value };
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p || Object.is(p.value, this.shown)) return;
    this.shown = p.value;
    this.deliver(p.value);
  }
}
