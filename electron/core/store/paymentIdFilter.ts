// Thread: the engine thread (the writer's).
// Which payment ids may be stored: a Bloom filter, so that an attempt of a payment the writer's
// memory does not hold (paymentOutcomes.ts) is looked up in the payment index only when it may
// be a retry of one stored, not for every new payment. A lookup probes each 65,536-event
// partition of the index and scans its tail (the whole of a replay's, whose seals are deferred):
// looking every such attempt up cost 9 % more CPU per event on PaySim-derived traffic (one
// new payment every ~4.5 events, none saying `attempt`) at 440,000 events stored, and more as
// the file grows. The filter answers "not stored" for nearly all of them in a few hundred
// instructions; a false "may be" only costs the lookup it saves, as the lookup is what decides.
//
// Scalable (Almeida et al., "Scalable Bloom Filters", 2007): layers of 74,898, 149,796, ... ids,
// a new one when the newest is full, so its size follows the payments stored, not a guess. Each
// layer has BITS_PER_ID bits per id and HASHES bits set per id: a full layer answers "may be"
// for an id never added with probability 0.6185^28 = 1.4e-6, and a query asks every layer
// (negatives stop at the first clear bit: about two reads a layer). At most MAX_BYTES: past it
// the newest layer takes every further id and its false positives rise (lookups, never a wrong
// figure). Ids are never removed (a retention's deletes leave theirs: more lookups, never a
// wrong figure); the writer builds it again from the store once most of it may be gone. It is
// built from the hashes kept on disk per partition (paymentIdHashes.ts, migration 382), not from
// the ids: addHash takes a paymentIdHash as it was stored.
import { eventIdentity } from './eventIdentity';

/** Bits per id in a layer: 3.5 bytes an id (at most twice that while the newest layer fills). */
export const BITS_PER_ID = 28;
/** Bits set per id: round(BITS_PER_ID * ln 2), the count that minimises false positives. */
const HASHES = 19;
/** Ids the first layer holds at least (74,898: 2^21 bits); each next layer holds twice its predecessor's. */
export const FIRST_LAYER_IDS = 1 << 16;
/** The filter's memory bound: 64 MiB, about 19 million ids at BITS_PER_ID. */
export const MAX_BYTES = 64 * 1024 * 1024;

interface Layer {
  bits: Int32Array;
  /** 32 - log2(its bit count): a 32-bit hash's top bits index it. */
  shift: number;
  capacity: number;
  count: number;
  /** Keeps one layer's bit choices apart from another's for the same id. */
  salt: number;
}

export class PaymentIdFilter {
  private readonly layers: Layer[] = [];
  /** The id hashed last and its two hashes (the writer asks, then adds, the same id). */
  private hashed: string | null = null;
  private h1 = 0;
  private h2 = 0;
  private added = 0;

  constructor(
    private readonly firstLayerIds = FIRST_LAYER_IDS,
    private readonly maxBytes = MAX_BYTES,
  ) {
    this.layers.push(layer(Math.ceil(Math.log2(firstLayerIds * BITS_PER_ID)), 0));
  }

  /** Ids added (counted once each, unless the filter already took one for another). */
  get ids(): number {
    return this.added;
  }

  /** The memory its bits take. */
  get bytes(): number {
    let n = 0;
    for (const l of this.layers) n += l.bits.byteLength;
    return n;
  }

  /** False: `id` was never added. True: it was, or (rarely) another id set the same bits. */
  mayHold(id: string): boolean {
    if (id !== this.hashed) {
      this.useHash(paymentIdHash(id));
      this.hashed = id;
    }
    return this.holdsHashed();
  }

  add(id: string): void {
    if (!this.mayHold(id)) this.addHashed();
  }

  /** Adds the id whose paymentIdHash is `h` (as persisted: paymentIdHashes.ts). */
  addHash(h: number): void {
    this.useHash(h);
    this.hashed = null;
    if (!this.holdsHashed()) this.addHashed();
  }

  /** Whether a layer has every bit of the hash in hand set. */
  private holdsHashed(): boolean {
    const { h1, h2 } = this;
    for (const l of this.layers) {
      const { bits, shift, salt } = l;
      let i = 0;
      for (; i < HASHES; i++) {
        const at = (h1 + Math.imul(salt + i, h2)) >>> shift;
        if ((bits[at >>> 5] & (1 << (at & 31))) === 0) break;
      }
      if (i === HASHES) return true;
    }
    return false;
  }

  /** Sets the bits of the hash in hand (not held yet) in the newest layer. */
  private addHashed(): void {
    let l = this.layers[this.layers.length - 1];
    if (l.count >= l.capacity && this.bytes + l.bits.byteLength * 2 <= this.maxBytes) {
      l = layer(32 - l.shift + 1, this.layers.length * HASHES);
      this.layers.push(l);
    }
    const { bits, shift, salt } = l;
    const { h1, h2 } = this;
    for (let i = 0; i < HASHES; i++) {
      const at = (h1 + Math.imul(salt + i, h2)) >>> shift;
      bits[at >>> 5] |= 1 << (at & 31);
    }
    l.count += 1;
    this.added += 1;
  }

  /**
   * The filter's two 32-bit hashes of a paymentIdHash: its low 32 bits, and the high 21 spread
   * over 32 by a multiply (an odd step, so the HASHES bits of one id in a layer are all different).
   */
  private useHash(h: number): void {
    this.h1 = h >>> 0;
    this.h2 = Math.imul(Math.floor(h / 4294967296), 0x9e3779b1) | 1;
  }
}

/** The 53 bits the filter keeps of a payment id: eventIdentity.ts's cyrb53 over it alone. */
export function paymentIdHash(id: string): number {
  return eventIdentity('', id);
}

/** A layer of 2^log2 bits (a power of two: a hash's top bits index it), BITS_PER_ID of them per id it holds. */
function layer(log2: number, salt: number): Layer {
  const size = 2 ** Math.max(5, log2);
  return { bits: new Int32Array(size / 32), shift: 32 - Math.log2(size), capacity: Math.floor(size / BITS_PER_ID), count: 0, salt };
}
