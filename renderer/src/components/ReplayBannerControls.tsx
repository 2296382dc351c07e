// The replay's controls in the REPLAY banner, so every view can pause, resume or leave it.
import { useHashRoute } from '../lib/hooks';
import { useApp } from '../store/appStore';
import { getReplayStore, useReplay } from '../store/replayStore';
import '../views/Replay.css';

export function ReplayBannerControls() {
  const state = useApp((s) => s.snapshot?.replay?.state ?? null);
  const busy = useReplay((s) => s.busy);
  const route = useHashRoute('dashboard');
  const store = getReplayStore().getState();
  return (
    <span className="banner-actions">
      {route !== 'replay' ? (
        <a href="#/replay" data-testid="replay-banner-open-view">
          Replay controls
        </a>
      ) : null}
      {state === 'running' || state === 'paused' ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void (state === 'running' ? store.pause() : store.resume())}
          disabled={busy === 'pause' || busy === 'resume'}
          aria-pressed={state === 'paused'}
          data-testid="replay-banner-toggle"
          title={state === 'running' ? 'Pause the replay clock' : 'Resume the replay'}
        >
          {state === 'running' ? 'Pause replay' : 'Resume replay'}
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void store.close()}
        disabled={busy === 'close'}
        data-testid="replay-banner-back-to-live"
        title="Leave the replay and return to the live session"
      >
        {busy === 'close' ? 'Returning…' : 'Back to live'}
      </button>
    </span>
  );
}
