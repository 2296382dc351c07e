// A list that could not be read (the silences, the notification log): what failed and why,
// whether the rows shown are an earlier read's, and a button that reads again. Never beside a
// "Loading…": a failed first read is not a read on its way.

export function ReadFailed({ what, error, earlier, onRetry, testId }: { what: string; error: string; earlier: boolean; onRetry: () => void; testId?: string }) {
  return (
    <div className="error-text small" role="alert" data-testid={testId}>
      {what} unavailable: {error.replace(/\.+$/, '')}.{earlier ? ' The rows below are from the read before.' : ''}{' '}
      <button type="button" className="btn btn-small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
