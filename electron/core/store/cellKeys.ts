// Thread: any (pure).
// Keys of the cells an ingest batch sums in memory before it writes them (per-second, minute,
// ten-minute and segment rollups): a number made of the time unit and an interned id of the
// cell's names, so that adding an event to its cells builds no string. On sparse traffic
// (PaySim's one event every ~8 s) nearly every event opens cells of its own, and the joined
// strings lived until the batch flushed: the write path allocated ~680 bytes per PaySim event
// more with them (BENCHMARKS.md, eleventh session).

/** Ids below this, and time units within ±UNIT_LIMIT, make a key exact in a double's 53 bits. */
const ID_LIMIT = 2 ** 21;
const UNIT_LIMIT = 2 ** 31;

/**
 * Small integer ids of (first, second) name pairs, in order of first sight, kept for the
 * writer's life: as many as the names its rollups have ever had, which the rollup and segment
 * catalogues (CodeCatalogue) already keep in memory too.
 */
export class PairIds {
  private readonly byFirst = new Map<string, Map<string, number>>();
  private next = 0;

  id(first: string, second: string): number {
    let bySecond = this.byFirst.get(first);
    if (!bySecond) this.byFirst.set(first, (bySecond = new Map()));
    let id = bySecond.get(second);
    if (id === undefined) bySecond.set(second, (id = this.next++));
    return id;
  }
}

/**
 * One key per (time unit, id). A number whenever both fit (seconds until 2038, minutes for
 * ever, two million name pairs); else a string, so an event stamped far in the future or a
 * flood of invented names still gets a cell of its own.
 */
export function cellKey(unit: number, id: number): number | string {
  return id < ID_LIMIT && unit < UNIT_LIMIT && unit >= -UNIT_LIMIT ? unit * ID_LIMIT + id : `${unit}:${id}`;
}

/**
 * What a summed cell's amount (or other non-integer sum) is first set to, before its own value:
 * V8 then keeps that field as a double in every cell of the shape. Set first to an integer, the
 * field holds small integers until a sum passes 2^31 (PaySim's amounts in cents do within a
 * batch); that change of the cells' map deoptimized each function that had seen them, and
 * TurboFan compiled them again (BENCHMARKS.md, twenty-fourth session). Never a stored value.
 */
export const DOUBLE_FIELD = 0.5;
