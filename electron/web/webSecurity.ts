// Pure checks of the loopback web host: token, Host and Origin headers, cookies, headers.
// No I/O here, so each rule is unit-tested on its own (webSecurity.test.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { redactSecrets } from '../core/redact';

/** The only interface the web host binds. Never 0.0.0.0 or ::. */
export const WEB_HOST_ADDRESS = '127.0.0.1';

/**
 * The renderer's policy when served over http: same-origin scripts only, WebSockets to this
 * host's own port only (not to another local app's, a way out for data).
 */
export function webCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers sent on every response, errors included. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': webCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

/**
 * A whole answer as bytes, for a socket that has no ServerResponse (a refused upgrade, a request
 * Node could not parse): the same security headers as any other response, then the connection closes.
 */
export function rawHttpResponse(port: number, status: number, body: string, extra: Record<string, string> = {}): string {
  const headers: Record<string, string> = {
    ...securityHeaders(port),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'close',
    'Content-Length': String(Buffer.byteLength(body)),
    ...extra,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('')}\r\n${body}`;
}

/** 32 random bytes as 64 hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison; false for anything that is not a string of the same length. */
export function tokenMatches(expected: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 256) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(candidate, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to keep the time flat.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * The page cookie. Cookies ignore ports: a browser sends it with every request to 127.0.0.1,
 * so another local web app reads it in its own requests. Its value is therefore NOT the token
 * but a separate random key that opens only the renderer's static files (no data): the API
 * WebSocket takes the token alone. The name carries the port so two hosts do not collide.
 * (`__Host-` needs https; SameSite=Strict does not help, another port is the same site.)
 */
export function pageCookieName(port: number): string {
  return `payops_page_${port}`;
}

export function pageCookie(port: number, pageKey: string): string {
  return `${pageCookieName(port)}=${pageKey}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Served by the host and put into every HTML page it serves, ahead of the app's scripts. */
export const SESSION_SCRIPT_PATH = '/payops-session.js';

/**
 * Keeps the token in sessionStorage, which (unlike a cookie) belongs to this origin, port
 * included, and to this tab. Opened with ?token=, it stores it; on a reload (the app has taken
 * the token out of the address bar) it puts the stored token back into the address, without a
 * history entry, before the app's module script reads it and takes it out again.
 */
export const SESSION_SCRIPT = `(function () {
  try {
    var key = 'payops.webToken';
    var params = new URLSearchParams(location.search);
    var token = params.get('token');
    if (token) {
      sessionStorage.setItem(key, token);
      return;
    }
    token = sessionStorage.getItem(key);
    if (!token) return;
    // Built from the whole address: a path such as //other.host/ stays a path on this origin.
    var address = new URL(location.href);
    address.searchParams.set('token', token);
    history.replaceState(history.state, '', address.href);
  } catch (e) {
    /* storage off: the printed URL is needed again */
  }
})();
`;

const SESSION_SCRIPT_TAG = `<script src="${SESSION_SCRIPT_PATH}"></script>`;

/** The HTML with the session script as the first thing in <head> (or before the first script). */
export function injectSessionScript(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) {
    const at = head.index + head[0].length;
    return `${html.slice(0, at)}${SESSION_SCRIPT_TAG}${html.slice(at)}`;
  }
  const script = html.search(/<script[\s>]/i);
  if (script >= 0) return `${html.slice(0, script)}${SESSION_SCRIPT_TAG}${html.slice(script)}`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  const at = doctype ? doctype[0].length : 0;
  return `${html.slice(0, at)}${SESSION_SCRIPT_TAG}${html.slice(at)}`;
}

/**
 * Every value of the cookies named `name`, in header order. Another page on 127.0.0.1 (any
 * port) can set a cookie of our name with a longer Path, which the browser then sends first.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * Host names a browser may use to reach us. Anything else is DNS rebinding or a proxy mistake.
 * `[::1]` is the host's IPv6 side (it holds ::1 on the same port), in the one spelling browsers
 * send for http://[::1]:<port>/; other spellings of it are refused like any unknown name.
 */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return allowedHosts(port).includes(hostHeader.trim().toLowerCase());
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** True when the Origin header is one of ours. A missing Origin is decided by the caller. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  return allowedOrigins(port).includes(origin.trim().toLowerCase());
}

/** The one line printed at start: open it in a browser on this machine. */
export function buildWebUrl(port: number, token: string): string {
  return `http://${WEB_HOST_ADDRESS}:${port}/?token=${token}`;
}

/** Shortens an error to a message for the client: no stack, bounded length. */
export function errorMessage(error: unknown): string {
  let message: string;
  if (error instanceof Error) message = error.message || error.name;
  else if (typeof error === 'string') message = error;
  else message = 'internal error';
  // A message must never carry a stack (first line only) nor a password (a URL quoted in it).
  message = redactSecrets(message.split('\n')[0]);
  return message.length > 500 ? `${message.slice(0, 497)}...` : message;
}
