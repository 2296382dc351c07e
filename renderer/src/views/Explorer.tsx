// Placeholder: the event explorer (browse, filter, seek by time, export) comes in its own issue.
export function Explorer() {
  return (
    <div className="view view-explorer">
      <div className="view-head">
        <h1>Explorer</h1>
      </div>
      <section className="panel" aria-label="Explorer" data-testid="explorer-placeholder">
        <div className="empty">Browsing and filtering stored events will appear here.</div>
      </section>
    </div>
  );
}
