// Recording the live session to a capture file: path, optional size and time limits,
// start/stop, and what was written (lines, bytes, why it stopped).
import { useEffect } from 'react';
import { fmtBytes, fmtCount } from '../lib/format';
import { useApp } from '../store/appStore';
import { stopReasonText } from '../store/replay';
import { getReplayStore, useReplay } from '../store/replayStore';

const POLL_MS = 1000;

export function CapturePanel() {
  const session = useApp((s) => s.snapshot?.session ?? null);
  const capture = useReplay((s) => s.capture);
  const form = useReplay((s) => s.captureForm);
  const busy = useReplay((s) => s.captureBusy);
  const error = useReplay((s) => s.captureError);
  const last = useReplay((s) => s.lastCapture);
  const store = getReplayStore().getState();
  const recording = !!capture?.recording;
  const canRecord = session === 'live' || session === 'demo';

  useEffect(() => {
    if (!canRecord) return;
    const st = getReplayStore().getState();
    void st.refreshCapture();
    const id = setInterval(() => void getReplayStore().getState().refreshCapture(), POLL_MS);
    return () => clearInterval(id);
  }, [canRecord]);

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    void (recording ? store.stopCapture() : store.startCapture());
  };

  return (
    <section className="panel" aria-label="Capture recording" data-testid="capture-panel">
      <header className="panel-head">
        <h2>Record a capture</h2>
        <span className="muted small">live traffic to .ndjson / .jsonl (.gz)</span>
      </header>
      {!canRecord ? (
        <p className="muted small" data-testid="capture-unavailable">
          Recording captures the live session: go back to live to record.
        </p>
      ) : (
        <form className="replay-body" onSubmit={onSubmit} aria-describedby="capture-help">
          <div className="field">
            <label htmlFor="capture-file">Capture file</label>
            <input
              id="capture-file"
              className="mono"
              value={form.file}
              onChange={(e) => store.setCaptureForm({ file: e.target.value })}
              disabled={recording || busy}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              data-testid="capture-file"
            />
            <span className="field-hint" id="capture-help">
              A path on the engine&apos;s computer; a relative path is relative to where payops runs. End it in .gz to compress.
            </span>
          </div>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="capture-max-mb">Stop at size (MB)</label>
              <input
                id="capture-max-mb"
                type="number"
                min={0}
                step="any"
                inputMode="decimal"
                placeholder="no limit"
                value={form.maxMb}
                onChange={(e) => store.setCaptureForm({ maxMb: e.target.value })}
                disabled={recording || busy}
                data-testid="capture-max-mb"
              />
            </div>
            <div className="field">
              <label htmlFor="capture-max-minutes">Stop after (minutes)</label>
              <input
                id="capture-max-minutes"
                type="number"
                min={0}
                step="any"
                inputMode="decimal"
                placeholder="no limit"
                value={form.maxMinutes}
                onChange={(e) => store.setCaptureForm({ maxMinutes: e.target.value })}
                disabled={recording || busy}
                data-testid="capture-max-minutes"
              />
            </div>
          </div>
          <div className="replay-row">
            {recording ? (
              <button type="submit" className="btn btn-danger" disabled={busy} data-testid="capture-stop">
                {busy ? 'Stopping…' : 'Stop recording'}
              </button>
            ) : (
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="capture-start">
                {busy ? 'Starting…' : 'Start recording'}
              </button>
            )}
            {session === 'demo' ? <span className="muted small">The demo session&apos;s generated events are recorded.</span> : null}
          </div>
          {error ? (
            <div className="error-text small" role="alert" data-testid="capture-error">
              {error}
            </div>
          ) : null}
          <div role="status" aria-live="polite" data-testid="capture-status" data-recording={recording ? 'true' : 'false'}>
            {recording && capture ? (
              <div className="capture-state">
                <span className="rec-dot" aria-hidden="true" />
                <strong>Recording</strong>
                <span className="mono ellipsis replay-file" title={capture.file ?? ''}>
                  {capture.file}
                </span>
                <span>
                  <span data-testid="capture-lines">{fmtCount(capture.lines)}</span> lines ·{' '}
                  <span data-testid="capture-bytes">{fmtBytes(capture.bytes)}</span>
                </span>
              </div>
            ) : last ? (
              <div className="result result-info" data-testid="capture-stopped">
                <strong>Recording stopped</strong>
                <span>
                  {fmtCount(last.lines)} lines, {fmtBytes(last.bytes)} written to <span className="mono">{last.file ?? '—'}</span>
                </span>
                <span data-testid="capture-stopped-because">
                  Stopped because: {stopReasonText(last.stoppedBecause) ?? 'unknown'}
                  {last.error ? ` (${last.error})` : ''}
                </span>
              </div>
            ) : (
              <span className="muted small">Not recording.</span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
