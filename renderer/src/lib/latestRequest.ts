// A panel that reads from the API on demand (a payment's timeline, the alert history): what it
// shows is the answer of the latest request it started, never an older one's, and never an
// earlier request's error. Pure: unit-tested; the panels hold it in a useReducer.

export interface RequestState<T> {
  /** The latest request started (numbered in order). */
  request: number;
  /** Its answer; or, while it is on its way or after it failed, the one before when `keep` asked for it. */
  data: T | null;
  /** Why the latest request failed (null while on its way or answered). */
  error: string | null;
  /** `data` is an earlier request's (kept through a refresh), not this one's. */
  earlier: boolean;
}

export type RequestEvent<T> =
  | { kind: 'started'; request: number; /** The same question asked again (a refresh): what was shown stays until the answer comes. */ keep?: boolean }
  | { kind: 'answered'; request: number; data: T }
  | { kind: 'failed'; request: number; message: string };

export const REQUEST_IDLE: RequestState<never> = { request: 0, data: null, error: null, earlier: false };

/**
 * A new question clears the answer and the error of the one before (kept only when asked again:
 * a refresh); an answer or a failure of any request but the latest started is dropped, however
 * late it comes.
 */
export function requestStep<T>(s: RequestState<T>, ev: RequestEvent<T>): RequestState<T> {
  if (ev.kind === 'started') return ev.keep && s.data !== null ? { request: ev.request, data: s.data, error: null, earlier: true } : { request: ev.request, data: null, error: null, earlier: false };
  if (ev.request !== s.request) return s;
  return ev.kind === 'answered' ? { ...s, data: ev.data, error: null, earlier: false } : { ...s, error: ev.message };
}

/** The latest request is on its way (nothing answered it yet). */
export const requestPending = (s: RequestState<unknown>): boolean => s.request > 0 && s.error === null && (s.data === null || s.earlier);
