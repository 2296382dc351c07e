// The storage of the smallest per-group rings (alerts/eventGroups.ts), kept for the next new
// group once its group is forgotten or its ring has grown. A PaySim replay forgets and makes
// groups all the time (its ~1,700 merchants each pay once in a while, and a merchant is swept
// two minutes after its last payment): a new pair of typed arrays per new group was about
// one ArrayBuffer for every two events, each a call into C++ and a backing store for the GC
// to sweep.

export class RingPool {
  private readonly counts: Uint32Array[] = [];
  private readonly seconds: Float64Array[] = [];

  constructor(
    /** The slots of the rings it keeps (counts: `countsPerSlot` per slot, seconds: one). */
    readonly slots: number,
    private readonly countsPerSlot: number,
    /** Rings kept at most: beyond it a given-back ring is left to the GC. */
    private readonly max: number,
  ) {}

  /**
   * A ring's storage: given back or new. Its seconds are all empty (-Infinity); its counts may
   * hold an old ring's, which no one reads: a second that takes a slot empties its counts first.
   */
  take(): { counts: Uint32Array; seconds: Float64Array } | null {
    const counts = this.counts.pop();
    const seconds = this.seconds.pop();
    if (!counts || !seconds) return null;
    for (let i = 0; i < seconds.length; i++) seconds[i] = -Infinity;
    return { counts, seconds };
  }

  /** Keeps a ring's storage for another group; the ring that gives it must not use it again. */
  give(counts: Uint32Array, seconds: Float64Array): void {
    if (this.counts.length >= this.max || seconds.length !== this.slots || counts.length !== this.slots * this.countsPerSlot) return;
    this.counts.push(counts);
    this.seconds.push(seconds);
  }
}
