// Limits of the loopback web host's WebSocket transport, shared by the host and the renderer's
// client (a module of its own: the renderer imports it without the contract's schemas).

/**
 * The largest request frame the web host reads from a socket (bytes of JSON). Every request
 * the contract accepts must fit: the largest is a rules text of 512 Ki characters
 * (`rules.save`, `rules.validate`, `rules.backtest`), and JSON spends at most six bytes on a
 * character ("\u0001"), so 3 MiB; the rest of a request is small. A frame past it closes the
 * socket (WebSocket 1009), so the renderer's client refuses such a request before sending it.
 */
export const WIRE_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
