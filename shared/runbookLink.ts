// How a rule's runbook may be drawn: as a link only when it is an http(s) URL the rules schema
// takes. The schema refuses javascript:, data: and the like when a rules file is loaded and when a
// collector's record is read from the metrics stream; a link is checked again where it is drawn,
// so a value that reached a view any other way never becomes an href.
import { runbookUrlInput } from './alertRules';

/** `url` as an href: an http(s) URL the rules schema takes, else null (a relative docs path, nothing, anything else). */
export function runbookHref(url: string | null | undefined): string | null {
  if (!url || !runbookUrlInput.safeParse(url).success) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The host of an http(s) runbook ("wiki.example"), null for a relative docs path: what a
 * notification names of it. A host carries no login or token (those sit in the userinfo, the
 * path or the query), so a notification that names only the host hands no credential to the
 * screen it pops up on.
 */
export function runbookHost(url: string | null | undefined): string | null {
  const href = runbookHref(url);
  return href === null ? null : new URL(href).host;
}

/** A relative docs path as the rules file wrote it ("electron/core/alerts/RULES.md#traffic-stopped"), null for a URL or nothing. */
export function runbookDocsPath(url: string | null | undefined): string | null {
  if (!url || runbookHref(url) !== null || /^https?:/i.test(url)) return null;
  return runbookUrlInput.safeParse(url).success ? url : null;
}
