// A link the desktop app would not open (a runbook on a host not allowed, an http link, one with
// a login in it): the operator clicked and the system browser did not open, so the console says
// which host and what to do, until dismissed. The main process sends it (shared/menuPush.ts).
import { EXTERNAL_HOSTS_ENV, type LinkBlocked } from '../../../shared/menuPush';
import { useApp } from '../store/appStore';

/** What the banner says: the link's host, why it was not opened, and how to have it opened. */
export function linkBlockedText(n: Pick<LinkBlocked, 'host' | 'reason'>): { what: string; fix: string } {
  const what = n.host ? `The desktop app did not open the link to ${n.host}` : 'The desktop app did not open that link';
  switch (n.reason) {
    case 'host':
      return {
        what: `${what}: ${n.host || 'its host'} is not on the hosts it opens.`,
        fix: `To allow it, add ${n.host || 'the host'} to ${EXTERNAL_HOSTS_ENV} (host names separated by commas, *.example.com for every subdomain) and start payops again.`,
      };
    case 'scheme':
      return { what: `${what}: it opens https links only.`, fix: 'Give the link as https (for a runbook, the rule’s runbookUrl).' };
    case 'credentials':
      return { what: `${what}: the link carries a login (user:password@), and the app never opens one that does.`, fix: 'Take the login out of the link (for a runbook, the rule’s runbookUrl).' };
    case 'port':
      return { what: `${what}: the link names a port, and the app opens https links on the default port only.`, fix: 'Give the link without its port.' };
    default:
      return { what: 'The desktop app did not open that link: it is not a web address.', fix: 'Check the link (for a runbook, the rule’s runbookUrl).' };
  }
}

export function LinkBlockedBanner() {
  const notice = useApp((s) => s.linkBlocked);
  const dismiss = useApp((s) => s.setLinkBlocked);
  if (!notice) return null;
  const { what, fix } = linkBlockedText(notice);
  return (
    <div className="banner banner-warn" role="alert" data-testid="link-blocked" data-reason={notice.reason}>
      <strong>Link not opened</strong>
      <span>
        {what} {fix}
      </span>
      <button type="button" className="btn btn-small" onClick={() => dismiss(null)}>
        Dismiss
      </button>
    </div>
  );
}
