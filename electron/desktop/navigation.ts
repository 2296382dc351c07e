// Where the window may go and who may call the API: pure predicates used by main.ts.
import type { LinkBlocked, LinkRefusal } from '../../shared/menuPush';

export const APP_SCHEME = 'app';
export const APP_HOST = 'payops';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Hosts whose https links may be opened in the system browser (docs the UI links to). */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = [
  'www.rabbitmq.com',
  'rabbitmq.com',
  'github.com',
  'grafana.com',
  'docs.stripe.com',
  'www.electronjs.org',
];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL inside our own renderer (app://payops/...). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string') return false;
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** In-app navigation is allowed only to our own pages; everything else is denied. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Parses an allow-list: exact host names or `*.example.com` (any subdomain, not the apex).
 * Extra hosts may come from PAYOPS_EXTERNAL_HOSTS (comma-separated), e.g. the runbook wiki.
 */
export function externalHostsFrom(env: string | undefined, defaults: readonly string[] = DEFAULT_EXTERNAL_HOSTS): string[] {
  const extra = (env ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^(\*\.)?[a-z0-9.-]+$/.test(h) && !h.startsWith('.') && h.includes('.'));
  return [...new Set([...defaults.map((h) => h.toLowerCase()), ...extra])];
}

function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) {
    const base = pattern.slice(2);
    return host.endsWith(`.${base}`) && host.length > base.length + 1;
  }
  return host === pattern;
}

/**
 * Why this link may not be handed to shell.openExternal, as the renderer is told it (its host
 * and the reason), or null when it may: only https, default port, no credentials in the URL,
 * and a host on the allow-list. (file:, smb:, custom schemes are never opened.)
 */
export function linkRefusal(url: unknown, allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS): LinkBlocked | null {
  const u = typeof url === 'string' && url.length <= 4096 ? parse(url) : null;
  if (!u) return { command: 'link.blocked', host: '', reason: 'invalid' };
  const host = u.hostname.toLowerCase();
  // Named by its host alone (a login, a path or a query may hold a secret: see describeBlockedUrl).
  const refused = (reason: LinkRefusal): LinkBlocked => ({ command: 'link.blocked', host: host.replace(/[^a-z0-9.:[\]_-]/g, '').slice(0, 253), reason });
  if (u.protocol !== 'https:') return refused('scheme');
  if (u.username !== '' || u.password !== '') return refused('credentials');
  if (u.port !== '') return refused('port');
  return allowedHosts.some((p) => hostMatches(host, p.toLowerCase())) ? null : refused('host');
}

/** May this link be handed to shell.openExternal? (linkRefusal has no objection.) */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS): boolean {
  return linkRefusal(url, allowedHosts) === null;
}

/**
 * How a blocked link is named in a log line: its scheme and host only. A link may carry a
 * password, a token in its query or a webhook secret in its path; none of that is logged.
 */
export function describeBlockedUrl(url: unknown): string {
  if (typeof url !== 'string') return 'a link that is not a string';
  const u = parse(url);
  if (!u) return 'a link that is not a URL';
  const host = u.host.replace(/[^a-z0-9.:[\]-]/gi, '');
  return host ? `${u.protocol}//${host}` : `a ${u.protocol.replace(/[^a-z0-9+.-]/gi, '').slice(0, 32)} link`;
}

export interface SenderInfo {
  /** id of the WebContents that sent the IPC message. */
  senderId: number;
  /** URL of the frame that sent it (event.senderFrame?.url); null when the frame is gone. */
  frameUrl: string | null | undefined;
  /** Whether that frame is the top frame of its page. */
  isMainFrame: boolean;
}

/**
 * The API answers only our own window's top frame, showing our own page. A frame that navigated
 * away, an iframe, a devtools page or another window gets nothing.
 */
export function isTrustedSender(sender: SenderInfo, trustedWebContentsIds: ReadonlySet<number> | readonly number[]): boolean {
  const ids = trustedWebContentsIds instanceof Set ? trustedWebContentsIds : new Set(trustedWebContentsIds as readonly number[]);
  if (!ids.has(sender.senderId)) return false;
  if (!sender.isMainFrame) return false;
  return isAppUrl(sender.frameUrl) && (sender.frameUrl as string).startsWith(`${APP_ORIGIN}/`);
}

/**
 * Path inside the renderer folder for an app:// request URL, or null when it is not ours
 * (another host, credentials, a malformed URL). Traversal is checked by the file resolver.
 */
export function appRequestPath(url: string): string | null {
  const u = parse(url);
  if (!u || !isAppUrl(url)) return null;
  return u.pathname || '/';
}
