// An alert's runbook beside it: an http(s) one as a "Runbook" link that opens outside the
// console (a new browser tab on the web host; in the desktop app the window-open handler hands
// it to the system browser, https and allow-listed hosts only, and never opens a window of the
// app), a relative docs path as text. Nothing that is not an http(s) URL is ever an href
// (runbookHref checks again what the rules schema took).
import { runbookDocsPath, runbookHost, runbookHref } from '../../../shared/runbookLink';

export function RunbookLink({ url, rule }: { url: string | null | undefined; rule: string }) {
  const href = runbookHref(url);
  if (href !== null) {
    return (
      <a
        className="btn btn-small btn-ghost"
        data-testid="alert-runbook"
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        aria-label={`Runbook for ${rule} (opens ${runbookHost(href)} outside the console)`}
        title={`Opens ${runbookHost(href)} outside the console`}
      >
        Runbook
      </a>
    );
  }
  const path = runbookDocsPath(url);
  if (path === null) return null;
  return (
    <span className="small runbook-path" data-testid="alert-runbook">
      Runbook: <code>{path}</code>
    </span>
  );
}
