// Banners under the top bar: lost connection, missing token, DEMO / REPLAY sessions,
// paused view, paused ingest, stale snapshots, a link the desktop app did not open.
import { memo, useState } from 'react';
import { getClient, missingToken } from '../api/client';
import { appStore, useApp } from '../store/appStore';
import { useNow } from '../lib/hooks';
import { fmtBytes, fmtClockZone, fmtDateTime, fmtDuration, fmtInstantTitle, fmtPercent, fmtZoneAt } from '../lib/format';
import { ReplayBannerControls } from './ReplayBannerControls';
import { LateEventsBanner, NodeAlarmBanner } from './BrokerBanners';
import { LinkBlockedBanner } from './LinkBlockedBanner';

const STALE_MS = 15_000;

/**
 * The replay clock (event time, seconds) in local time with its zone beside it: a DST fall-back
 * hour reads alike twice without it. The zone is a span of its own, the clock's text the time only.
 */
export function ReplayClock({ clock }: { clock: number | null }) {
  const ms = clock !== null ? clock * 1000 : null;
  return (
    <>
      <span className="mono" data-testid="replay-clock" title={ms !== null ? `Replay clock (event time) · ${fmtInstantTitle(ms)}` : 'Replay clock (event time)'}>
        {ms !== null ? fmtDateTime(ms) : '—'}
      </span>
      {ms !== null ? (
        <span className="muted small" data-testid="replay-clock-zone">
          {fmtZoneAt(ms)}
        </span>
      ) : null}
    </>
  );
}

function ConnectionLost() {
  const t = useApp((s) => s.transport);
  const hadData = useApp((s) => s.snapshot !== null);
  const now = useNow(500);
  if (!t || t.kind === 'ipc') return null;
  const lost = t.state === 'lost' || (t.state === 'connecting' && t.attempt > 0);
  if (!lost) return null;
  const wait = t.retryAt ? Math.max(0, Math.ceil((t.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-crit" role="alert" data-testid="connection-lost">
      <strong>Connection lost</strong>
      <span>
        The payops engine is not reachable{t.error && t.error !== 'connection lost' ? ` (${t.error})` : ''}.{' '}
        {t.state === 'connecting' ? 'Reconnecting…' : `Reconnecting in ${wait} s (attempt ${t.attempt}).`} {hadData ? 'The figures below are the last ones received.' : ''}
      </span>
      <button type="button" className="btn btn-small" onClick={() => getClient().reconnectNow()} disabled={t.state === 'connecting'}>
        Retry now
      </button>
    </div>
  );
}

function TokenMissing() {
  const [missing] = useState(missingToken);
  // the web host also accepts its cookie, so only complain while we cannot get in
  const open = useApp((s) => s.transport?.state === 'open');
  if (!missing || open) return null;
  return (
    <div className="banner banner-warn" role="alert" data-testid="token-missing">
      <strong>No access token</strong>
      <span>Open the address printed by the web host, including its <code>?token=…</code> part.</span>
    </div>
  );
}

function SessionBanner() {
  const session = useApp((s) => s.snapshot?.session ?? null);
  const clock = useApp((s) => (s.snapshot ? Math.floor(s.snapshot.clock / 1000) : null));
  const replay = useApp((s) => s.snapshot?.replay ?? null);
  const [stopping, setStopping] = useState(false);
  if (session === 'demo') {
    const stop = async () => {
      setStopping(true);
      try {
        await getClient().invoke('demo.stop', {});
      } catch (err) {
        console.warn('payops: demo.stop failed', err);
      } finally {
        setStopping(false);
      }
    };
    return (
      <div className="banner banner-demo" role="status" data-testid="demo-banner">
        <strong>DEMO</strong>
        <span>Synthetic events from the built-in generator — not from a broker.</span>
        <button type="button" className="btn btn-small" onClick={stop} disabled={stopping} data-testid="demo-stop">
          Stop demo
        </button>
      </div>
    );
  }
  if (session === 'replay') {
    const pct = replay && replay.bytesTotal ? Math.min(100, (replay.bytesRead / replay.bytesTotal) * 100) : null;
    return (
      <div className="banner banner-replay" role="status" data-testid="replay-banner">
        <strong>REPLAY</strong>
        <span className="muted small">event time</span>
        <ReplayClock clock={clock} />
        {replay ? (
          <span className="small">
            <span className="mono ellipsis replay-file" title={replay.file}>
              {replay.file}
            </span>{' '}
            · {replay.speed === 'max' ? 'max speed' : `${replay.speed}×`} · <span data-testid="replay-state">{replay.state}</span>
            {pct !== null ? ` · ${fmtPercent(pct / 100, 0)} of ${fmtBytes(replay.bytesTotal)}` : ''}
            {replay.etaMs ? ` · ETA ${fmtDuration(replay.etaMs)}` : ''}
            {replay.error ? <span className="error-text"> · {replay.error}</span> : null}
          </span>
        ) : null}
        <ReplayBannerControls />
      </div>
    );
  }
  return null;
}

/** What the paused banner says: since when, with the zone. */
export function pausedText(pausedAt: number | null): string {
  return `The view is frozen since ${fmtClockZone(pausedAt)}; live data is still being collected.`;
}

function PausedBanner() {
  const paused = useApp((s) => s.paused);
  const pausedAt = useApp((s) => s.pausedAt);
  if (!paused) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="paused-banner">
      <strong>Paused</strong>
      <span>{pausedText(pausedAt)}</span>
      <button type="button" className="btn btn-small" onClick={() => appStore.getState().setPaused(false)}>
        Resume
      </button>
    </div>
  );
}

function IngestPaused() {
  const ingest = useApp((s) => s.snapshot?.ingest ?? null);
  if (!ingest?.paused) return null;
  return (
    <div className="banner banner-crit" role="alert" data-testid="ingest-paused-banner">
      <strong>Ingest paused</strong>
      <span>{ingest.reason ?? 'The engine stopped storing events.'} Messages stay on the broker until it resumes.</span>
    </div>
  );
}

function Stale() {
  const receivedAt = useApp((s) => s.receivedAt);
  const open = useApp((s) => s.transport?.state === 'open');
  const now = useNow(1000);
  if (!open || receivedAt === null || now - receivedAt < STALE_MS) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="stale-banner">
      <strong>No updates</strong>
      <span>The engine has sent nothing for {fmtDuration(now - receivedAt)}.</span>
    </div>
  );
}

export const Banners = memo(function Banners() {
  return (
    <div className="banners">
      <ConnectionLost />
      <TokenMissing />
      <IngestPaused />
      <SessionBanner />
      <PausedBanner />
      <Stale />
      <NodeAlarmBanner />
      <LateEventsBanner />
      <LinkBlockedBanner />
    </div>
  );
});
