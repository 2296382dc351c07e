// AMQP headers may hold byte arrays (binary-mode CloudEvents attributes sent as bytes),
// which JSON cannot carry. They are written as {"$base64": "..."} and turned back into
// Buffers on reading, so a recorded message replays with exactly the headers it had.

const BYTES_TAG = '$base64';

// Plain assignment of a key named "__proto__" would replace the prototype instead of
// keeping the header; defineProperty keeps every key as data.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, encodeValue(v));
    return out;
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === BYTES_TAG && typeof obj[BYTES_TAG] === 'string') {
      return Buffer.from(obj[BYTES_TAG], 'base64');
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) setOwn(out, k, decodeValue(obj[k]));
    return out;
  }
  return value;
}

export function encodeHeaders(headers: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  return headers ? (encodeValue(headers) as Record<string, unknown>) : null;
}

export function decodeHeaders(headers: Record<string, unknown> | null): Record<string, unknown> | null {
  return headers ? (decodeValue(headers) as Record<string, unknown>) : null;
}
