// Opening a capture: a typed path, the native dialog and drag and drop (desktop), the shipped
// PaySim demo capture, and the recent files.
import { useState } from 'react';
import type { PayopsApi } from '../../../shared/api';
import { fmtDateTimeZone, fmtInstantTitle } from '../lib/format';
import { useApp } from '../store/appStore';
import { droppedCapturePath, looksLikeCapture, type DesktopBridgeExtras, type RecentCapture } from '../store/replay';
import { getReplayStore, useReplay } from '../store/replayStore';
import { ReadFailed } from '../components/ReadFailed';

/** The desktop bridge (Electron's preload), or null in a browser. */
function desktopBridge(): (PayopsApi & DesktopBridgeExtras) | null {
  return typeof window !== 'undefined' && window.payops ? (window.payops as PayopsApi & DesktopBridgeExtras) : null;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function DropZone({ desktop }: { desktop: boolean }) {
  const [over, setOver] = useState(false);
  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setOver(false);
    const got = droppedCapturePath(e.dataTransfer?.files, desktopBridge());
    const store = getReplayStore().getState();
    if ('error' in got) {
      store.setNotice(got.error);
      return;
    }
    store.setNotice(looksLikeCapture(got.file) ? null : `${baseName(got.file)} does not look like a capture (.ndjson, .jsonl, .gz); trying anyway.`);
    void store.open(got.file);
  };
  return (
    <div
      className="dropzone"
      data-over={over ? 'true' : 'false'}
      data-testid="replay-dropzone"
      data-desktop={desktop ? 'true' : 'false'}
      onDragOver={(e) => {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = desktop ? 'copy' : 'none';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {desktop
        ? 'Drop a capture file here (.ndjson, .jsonl, .gz) to replay it.'
        : 'Dropping a file needs the desktop app. In the browser, type the path of the capture (on the computer payops runs on) above.'}
    </div>
  );
}

export function ReplayOpen() {
  const path = useReplay((s) => s.path);
  const busy = useReplay((s) => s.busy);
  const recent = useReplay((s) => s.recent);
  const demoCapture = useReplay((s) => s.demoCapture);
  const loaded = useReplay((s) => s.recentLoaded);
  const recentError = useReplay((s) => s.recentError);
  const notice = useReplay((s) => s.notice);
  const startPaused = useReplay((s) => s.startPaused);
  const desktop = useApp((s) => s.transport?.kind === 'ipc' || s.info?.host === 'electron') && desktopBridge() !== null;
  const store = getReplayStore().getState();
  const opening = busy === 'open';

  return (
    <section className="panel" aria-label="Open a capture" data-testid="replay-open-panel">
      <header className="panel-head">
        <h2>Open a capture</h2>
        <span className="muted small">replays into its own database, never the live one</span>
      </header>
      <div className="replay-body">
        <form
          className="replay-row"
          onSubmit={(e) => {
            e.preventDefault();
            void store.open();
          }}
        >
          <label className="sr-only" htmlFor="replay-path">
            Capture file path
          </label>
          <input
            id="replay-path"
            className="grow mono"
            placeholder="/path/to/capture.ndjson.gz"
            value={path}
            onChange={(e) => store.setPath(e.target.value)}
            spellCheck={false}
            data-testid="replay-path"
          />
          <button type="submit" className="btn btn-primary" disabled={opening || !path.trim()} data-testid="replay-open">
            {opening ? 'Opening…' : 'Open'}
          </button>
          {desktop ? (
            <button type="button" className="btn" onClick={() => void store.chooseFile()} disabled={opening} data-testid="replay-choose-file">
              Choose file…
            </button>
          ) : null}
        </form>
        <label className="replay-row replay-check small">
          <input
            type="checkbox"
            checked={startPaused}
            onChange={(e) => store.setStartPaused(e.target.checked)}
            data-testid="replay-start-paused"
          />
          Start paused (to seek before it plays)
        </label>
        <div className="replay-row">
          <button
            type="button"
            className="btn"
            onClick={() => demoCapture && void store.open(demoCapture)}
            disabled={!demoCapture || opening}
            data-testid="replay-open-demo"
            title={demoCapture ?? 'The demo capture is not installed'}
          >
            Open demo capture (PaySim)
          </button>
          <DemoCaptureNote demoCapture={demoCapture} loaded={loaded} />
        </div>
        <DropZone desktop={desktop} />
        {notice ? (
          <div className="result result-info small" role="status" data-testid="replay-notice">
            {notice}
          </div>
        ) : null}
        <RecentCapturesSection recent={recent} loaded={loaded} error={recentError} opening={opening} onReplay={(file) => void store.open(file)} onRetry={() => void store.loadRecent()} />
      </div>
    </section>
  );
}

/** What the demo capture button is, or that it is not installed (once the read said so). */
export function DemoCaptureNote({ demoCapture, loaded }: { demoCapture: string | null; loaded: boolean }) {
  return <span className="muted small">{demoCapture ? 'Payment and risk events over 741 simulated hours, sparse in time: try ×3600 or max.' : loaded ? 'The PaySim demo capture is not installed.' : ''}</span>;
}

/** The recent captures, or why they could not be read (with the list read before, if any), or that they are being read, or that there are none. */
export function RecentCapturesSection({ recent, loaded, error, opening, onReplay, onRetry }: { recent: readonly RecentCapture[]; loaded: boolean; error: string | null; opening: boolean; onReplay: (file: string) => void; onRetry: () => void }) {
  return (
    <div>
      <h3 className="small muted">Recent captures</h3>
      {error ? <ReadFailed what="Recent captures" error={error} earlier={recent.length > 0} onRetry={onRetry} testId="replay-recent-error" /> : null}
      {error && recent.length === 0 ? null : recent.length === 0 ? (
        <p className="muted small" data-testid="replay-recent-empty">
          {loaded ? 'None yet.' : 'Loading…'}
        </p>
      ) : (
        <RecentCaptures recent={recent} opening={opening} onReplay={onReplay} />
      )}
    </div>
  );
}

/** The recently opened captures, newest first, each with when it was opened (its zone named) and a Replay button. */
export function RecentCaptures({ recent, opening, onReplay }: { recent: readonly { file: string; openedAt: number }[]; opening: boolean; onReplay: (file: string) => void }) {
  return (
    <ul className="replay-recent" data-testid="replay-recent">
      {recent.map((r) => (
        <li key={r.file} data-testid="replay-recent-item">
          <span className="mono ellipsis" title={r.file}>
            {r.file}
          </span>
          <span className="muted small nowrap" title={fmtInstantTitle(r.openedAt)}>
            {fmtDateTimeZone(r.openedAt)}
          </span>
          <button type="button" className="btn btn-small" onClick={() => onReplay(r.file)} disabled={opening} aria-label={`Replay ${baseName(r.file)}`}>
            Replay
          </button>
        </li>
      ))}
    </ul>
  );
}
