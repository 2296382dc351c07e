// Replay: open a capture into its own session, watch its progress, pause, resume, change
// speed, seek in event time, see bad lines, and go back to live. Also records captures of
// the live session. The dashboard, alerts and explorer follow the replay session by themselves.
import { memo, useEffect, useState } from 'react';
import type { ReplayProgress } from '../../../shared/metrics';
import { gapText, MAX_PACED_GAP_MS } from '../../../shared/replayGap';
import { CapturePanel } from '../components/CapturePanel';
import { fmtBytes, fmtCount, fmtDateTimeZone, fmtDuration, fmtPercent, fmtRange, fmtRate } from '../lib/format';
import { useApp } from '../store/appStore';
import {
  REPLAY_SPEEDS,
  clampSeek,
  readSeekInput,
  seekInputError,
  replayPercent,
  seekStep,
  speedHint,
  seekInput,
  speedLabel,
  type ReplaySpeed,
  type SeekInput,
} from '../store/replay';
import { getReplayStore, useReplay } from '../store/replayStore';
import { ReplayOpen } from './ReplayOpen';
import './Replay.css';

const STATUS_POLL_MS = 1000;

function speedId(s: ReplaySpeed): string {
  return s === 'max' ? 'max' : String(s);
}

function SpeedButtons({ replay }: { replay: ReplayProgress | null }) {
  const chosen = useReplay((s) => s.speed);
  const busy = useReplay((s) => s.busy);
  const current = replay ? replay.speed : chosen;
  return (
    <div className="replay-row">
      <span className="muted small" id="replay-speed-label">
        {replay ? 'Speed' : 'Speed for the next replay'}
      </span>
      <div className="segmented" role="group" aria-labelledby="replay-speed-label" data-testid="replay-speeds">
        {REPLAY_SPEEDS.map((s) => (
          <button
            key={speedId(s)}
            type="button"
            aria-pressed={current === s}
            title={speedHint(s)}
            disabled={busy === 'speed'}
            onClick={() => void getReplayStore().getState().chooseSpeed(s, replay !== null && replay.state !== 'error')}
            data-testid={`replay-speed-${speedId(s)}`}
          >
            {speedLabel(s)}
          </button>
        ))}
      </div>
      {typeof current === 'number' && !REPLAY_SPEEDS.includes(current) ? <span className="small">×{current}</span> : null}
    </div>
  );
}

export function ProgressBar({ replay }: { replay: ReplayProgress }) {
  const pct = replayPercent(replay);
  const text = `${pct === null ? 'unknown' : fmtPercent(pct / 100, 0)} · ${replay.state} · at ${fmtDateTimeZone(replay.position)}`;
  return (
    <div
      className="replay-progress"
      role="progressbar"
      aria-label="Replay progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct === null ? undefined : Math.round(pct)}
      aria-valuetext={text}
      data-testid="replay-progress"
      data-state={replay.state}
      data-percent={pct === null ? '' : pct.toFixed(1)}
    >
      <div className="replay-progress-fill" style={{ width: `${pct ?? 0}%` }} />
    </div>
  );
}

export function Stats({ replay }: { replay: ReplayProgress }) {
  const running = replay.state === 'running';
  return (
    <dl className="replay-stats" data-testid="replay-stats">
      <div>
        <dt>State</dt>
        <dd data-testid="replay-progress-state" data-state={replay.state}>
          {replay.state}
        </dd>
      </div>
      <div>
        <dt title="The replay clock: event time">Position</dt>
        <dd className="mono" data-testid="replay-position" data-value={replay.position}>
          {fmtDateTimeZone(replay.position)}
        </dd>
      </div>
      <div>
        <dt>Lines read</dt>
        <dd data-testid="replay-lines" data-value={replay.linesRead}>
          {fmtCount(replay.linesRead)}
        </dd>
      </div>
      <div>
        <dt>Bytes read</dt>
        <dd data-testid="replay-bytes">
          {fmtBytes(replay.bytesRead)}
          {replay.bytesTotal ? ` of ${fmtBytes(replay.bytesTotal)}` : ''}
        </dd>
      </div>
      <div>
        <dt>Rate</dt>
        <dd data-testid="replay-rate">{running ? `${fmtRate(replay.eventsPerSecond)} events/s` : '—'}</dd>
      </div>
      <div>
        <dt>Time left</dt>
        <dd data-testid="replay-eta">{replay.state === 'done' ? 'done' : running && replay.etaMs !== null ? fmtDuration(replay.etaMs) : '—'}</dd>
      </div>
    </dl>
  );
}

function Seek({ replay }: { replay: ReplayProgress }) {
  const busy = useReplay((s) => s.busy);
  const seekingTo = useReplay((s) => s.status?.seekingTo ?? null);
  const toExact = useReplay((s) => s.status?.toExact ?? false);
  const [draft, setDraft] = useState<number | null>(null);
  const [typed, setTyped] = useState<SeekInput>({ text: '' });
  const { from } = replay;
  // Until the end of the file is known the slider spans what has been read (a compressed
  // capture's end is known after one pass); typing a time seeks further.
  const to = replay.to ?? (from !== null ? Math.max(from, replay.position) : null);
  const known = from !== null && to !== null && to > from;
  const value = draft ?? replay.position;
  const typedMs = readSeekInput(typed);
  const typedError = seekInputError(typed);
  const seek = (ms: number) => void getReplayStore().getState().seek(Math.round(clampSeek(ms, from, toExact ? replay.to : null)));
  const commitDraft = () => {
    if (draft === null) return;
    const target = draft;
    setDraft(null);
    seek(target);
  };
  return (
    <div className="replay-seek" data-testid="replay-seek">
      <label className="small muted" htmlFor="replay-seek-slider">
        Seek (event time)
      </label>
      <input
        id="replay-seek-slider"
        type="range"
        min={known ? from : 0}
        max={known ? to : 1}
        step={seekStep(from, to)}
        value={known ? Math.max(from, Math.min(to, value)) : 0}
        disabled={!known || busy === 'seek'}
        aria-valuetext={fmtDateTimeZone(value)}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={commitDraft}
        onKeyUp={commitDraft}
        onBlur={commitDraft}
        data-testid="replay-seek-slider"
      />
      <div className="replay-seek-ends">
        <span data-testid="replay-from">{fmtDateTimeZone(from)}</span>
        {draft !== null ? <span className="mono">→ {fmtDateTimeZone(draft)}</span> : seekingTo !== null ? <span>seeking to {fmtDateTimeZone(seekingTo)}…</span> : null}
        <span data-testid="replay-to" title={toExact ? 'End of the capture' : 'The end is known once the whole file has been read'}>
          {fmtDateTimeZone(to)}
          {toExact || to === null ? '' : ' (read so far)'}
        </span>
      </div>
      <form
        className="replay-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (typedMs !== null) seek(typedMs);
        }}
      >
        <label className="small muted" htmlFor="replay-seek-time">
          Go to
        </label>
        <input
          id="replay-seek-time"
          type="datetime-local"
          step={1}
          value={typed.text}
          onFocus={() => {
            if (!typed.text) setTyped(seekInput(replay.position));
          }}
          onChange={(e) => setTyped({ text: e.target.value, exact: typed.exact })}
          aria-invalid={typed.text !== '' && typedMs === null ? true : undefined}
          aria-describedby={typedError ? 'replay-seek-error' : undefined}
          title={typedError ?? undefined}
          data-testid="replay-seek-time"
        />
        <button type="submit" className="btn btn-small" disabled={typedMs === null || busy === 'seek'} data-testid="replay-seek-go">
          Seek
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={from === null || busy === 'seek'} onClick={() => from !== null && seek(from)} data-testid="replay-seek-start">
          To start
        </button>
        {typedError && (
          <span id="replay-seek-error" className="error-text small" role="alert" data-testid="replay-seek-error">
            {typedError}
          </span>
        )}
      </form>
    </div>
  );
}

function BadLines() {
  const status = useReplay((s) => s.status);
  if (!status) return null;
  return (
    <section className="panel" aria-label="Bad lines" data-testid="replay-bad-lines" data-count={status.badLines}>
      <header className="panel-head">
        <h2>Bad lines</h2>
        <span className={`badge ${status.badLines ? 'badge-warn' : 'badge-ok'}`} data-testid="replay-bad-count">
          {fmtCount(status.badLines)}
        </span>
        <span className="muted small">quarantined with their line number; the replay goes on</span>
      </header>
      {status.badLineSamples.length === 0 ? (
        <p className="muted small">{status.badLines ? 'No samples kept.' : 'Every line read so far was valid.'}</p>
      ) : (
        <table className="table compact">
          <caption className="sr-only">First bad lines of the capture</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {status.badLineSamples.map((b) => (
              <tr key={`${b.line}:${b.error}`} data-testid="replay-bad-line">
                <td className="num mono">{b.line}</td>
                <td className="small">{b.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status.badLines > status.badLineSamples.length ? (
        <p className="muted small">…and {fmtCount(status.badLines - status.badLineSamples.length)} more (only the first ones are kept).</p>
      ) : null}
    </section>
  );
}

/** Jumps in event time a paced replay skipped instead of waiting for (nothing when there were none). */
function SkippedGaps() {
  const gaps = useReplay((s) => s.status?.skippedGaps);
  if (!gaps || gaps.length === 0) return null;
  return (
    <section className="panel" aria-label="Skipped gaps" data-testid="replay-skipped-gaps">
      <header className="panel-head">
        <h2>Skipped gaps</h2>
        <span className="muted small">event time jumps of more than {MAX_PACED_GAP_MS / 3_600_000} h are not waited for</span>
      </header>
      <ul className="small">
        {gaps.map((g) => (
          <li key={g.line} data-testid="replay-skipped-gap">
            skipped a {gapText(g.toMs - g.fromMs)} gap{g.toMs < g.fromMs ? ' back' : ''} at line {g.line}: {fmtRange(g.fromMs, g.toMs)}
          </li>
        ))}
      </ul>
    </section>
  );
}

const ReplaySession = memo(function ReplaySession() {
  const replay = useApp((s) => s.snapshot?.replay ?? null);
  const busy = useReplay((s) => s.busy);
  if (!replay) {
    return (
      <section className="panel" aria-label="Replay session" data-testid="replay-session">
        <p className="muted">Starting the replay…</p>
      </section>
    );
  }
  const store = getReplayStore().getState();
  const canPause = replay.state === 'running';
  const canResume = replay.state === 'paused';
  return (
    <section className="panel" aria-label="Replay session" data-testid="replay-session">
      <header className="panel-head">
        <h2>Replaying</h2>
        <span className="mono ellipsis small" title={replay.file} data-testid="replay-file">
          {replay.file}
        </span>
      </header>
      <div className="replay-body">
        <ProgressBar replay={replay} />
        {replay.error ? (
          <div className="result result-error" role="alert" data-testid="replay-progress-error">
            <strong>Replay stopped</strong>
            <span>{replay.error}</span>
          </div>
        ) : null}
        <Stats replay={replay} />
        <div className="replay-row">
          {canResume ? (
            <button type="button" className="btn btn-primary" onClick={() => void store.resume()} disabled={busy === 'resume'} data-testid="replay-resume">
              Resume
            </button>
          ) : (
            <button type="button" className="btn" onClick={() => void store.pause()} disabled={!canPause || busy === 'pause'} data-testid="replay-pause">
              Pause
            </button>
          )}
          <button
            type="button"
            className="btn btn-warn"
            onClick={() => void store.close()}
            disabled={busy === 'close'}
            data-testid="replay-back-to-live"
            title="Leave the replay and return to the live session"
          >
            {busy === 'close' ? 'Returning…' : 'Back to live'}
          </button>
          <a className="small" href="#/dashboard">
            Dashboard
          </a>
          <a className="small" href="#/alerts">
            Alerts
          </a>
          <a className="small" href="#/explorer">
            Explorer
          </a>
        </div>
        <SpeedButtons replay={replay} />
        <Seek replay={replay} />
      </div>
    </section>
  );
});

function ErrorLine() {
  const error = useReplay((s) => s.error);
  if (!error) return null;
  return (
    <div className="result result-error" role="alert" data-testid="replay-error">
      <strong>Replay</strong>
      <span>{error}</span>
    </div>
  );
}

export function Replay() {
  const session = useApp((s) => s.snapshot?.session ?? null);
  const replaying = session === 'replay';

  useEffect(() => {
    void getReplayStore().getState().loadRecent();
  }, []);

  // The snapshot carries the progress; the detailed status (bad lines) is polled while replaying.
  useEffect(() => {
    if (!replaying) return;
    const refresh = () => void getReplayStore().getState().refreshStatus();
    refresh();
    const id = setInterval(refresh, STATUS_POLL_MS);
    return () => clearInterval(id);
  }, [replaying]);

  return (
    <div className="view view-replay" data-testid="replay-view" data-session={session ?? ''}>
      <div className="view-head">
        <h1>Replay</h1>
        <span className="muted small">Replay a captured event log at any speed, in its own session; record live traffic to a capture.</span>
      </div>
      <ErrorLine />
      <div className="replay-grid">
        <div className="replay-col">
          {replaying ? <ReplaySession /> : null}
          {replaying ? <BadLines /> : null}
          {replaying ? <SkippedGaps /> : null}
          {!replaying ? (
            <section className="panel" aria-label="Speed" data-testid="replay-speed-panel">
              <div className="replay-body">
                <SpeedButtons replay={null} />
              </div>
            </section>
          ) : null}
          <ReplayOpen />
        </div>
        <div className="replay-col">
          <CapturePanel />
        </div>
      </div>
    </div>
  );
}
