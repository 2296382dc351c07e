// How deeply a message may nest JSON objects and arrays.
//
// JSON.parse in V8 reads any depth, but much of what handles a parsed event afterwards is
// recursive: JSON.stringify (compactEnvelope, the capture reader's recorded lines), zod,
// structured clone between threads, SQLite's json functions (their own limit is 1000). A body
// of ~40 KB nesting 20,000 arrays overflows the stack in any of them ("Maximum call stack size
// exceeded"), which would kill the consumer thread before the message is acknowledged (a
// poisoned queue) or abort a replay. So the decoder refuses such a body first, with a check
// that is itself not recursive.

/**
 * The deepest nesting of JSON objects and arrays an event may have, counting the CloudEvent
 * object itself (structured form) as level 1 and its `data` as level 2. A payment or risk event
 * needs 3 (`rules` is an array); real producers' extra fields stay well under 10. 64 is far
 * above that, equal to the default limit of common JSON writers (.NET System.Text.Json), and
 * far below the thousands of levels at which recursive JSON code overflows the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** The quarantine reason for a value nested deeper than `limit`. */
export function nestingReason(limit: number = MAX_JSON_DEPTH): string {
  return `nested deeper than ${limit} levels of JSON objects and arrays`;
}

/**
 * Whether `value` nests objects and arrays more than `limit` levels deep (an object or array
 * is level 1, the objects and arrays in it level 2...; scalars are level 0). Without recursion:
 * an explicit stack, allocated only when a container holds a container, so a flat object (a
 * payment event's `data`) costs one pass over its values (~50-70 ns). It stops at the first
 * container past the limit; its work is bounded by the value's size, never by its depth.
 * Meant for parsed JSON: `for...in` (faster here than Object.keys) sees own keys only on
 * objects whose prototype has no enumerable properties, as JSON.parse's have.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit < 1) return true;
  let stack: object[] | null = null;
  let levels: number[] | null = null;
  let current: object = value;
  let level = 1;
  for (;;) {
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const v: unknown = current[i];
        if (typeof v === 'object' && v !== null) {
          if (level >= limit) return true;
          (stack ??= []).push(v);
          (levels ??= []).push(level + 1);
        }
      }
    } else {
      const o = current as Record<string, unknown>;
      for (const key in o) {
        const v = o[key];
        if (typeof v === 'object' && v !== null) {
          if (level >= limit) return true;
          (stack ??= []).push(v);
          (levels ??= []).push(level + 1);
        }
      }
    }
    if (stack === null || stack.length === 0) return false;
    current = stack.pop()!;
    level = levels!.pop()!;
  }
}
