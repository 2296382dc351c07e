// Top bar: brand, navigation, session and transport status, and the global toggles.
import { memo } from 'react';
import { VIEWS } from '../views/registry';
import { useApp } from '../store/appStore';
import { appStore } from '../store/appStore';
import { notificationPermission, primeAudio, requestNotifications } from '../lib/notify';
import { useNow } from '../lib/hooks';
import { statusBadge } from '../lib/statusBadge';

function NavBadge({ badge }: { badge: NonNullable<(typeof VIEWS)[number]['badge']> }) {
  const n = useApp(badge);
  if (!n) return null;
  return (
    <span className="nav-badge" aria-label={`${n} firing`}>
      {n}
    </span>
  );
}

function SessionBadge() {
  const snapshot = useApp((s) => s.snapshot);
  const transport = useApp((s) => s.transport);
  const readOnly = useApp((s) => s.info?.readOnly ?? false);
  const now = useNow(1000);
  const badge = snapshot ? statusBadge(snapshot, transport, now) : null;
  return (
    <>
      {snapshot && badge ? (
        <span
          className={`session session-${snapshot.session} status-${badge.tone}`}
          data-testid="session-badge"
          data-session={snapshot.session}
          data-status={badge.state}
          title={badge.title}
          role="status"
        >
          {badge.label}
        </span>
      ) : null}
      {readOnly ? (
        <span className="session session-readonly" data-testid="readonly-badge">
          READ-ONLY
        </span>
      ) : null}
    </>
  );
}

function TransportDot() {
  const t = useApp((s) => s.transport);
  if (!t) return null;
  const lost = t.state === 'lost' || (t.state === 'connecting' && t.attempt > 0);
  const label = t.kind === 'ipc' ? 'engine: local' : lost ? 'connection lost' : t.state === 'open' ? 'engine: connected' : 'connecting…';
  return (
    <span className={`transport transport-${lost ? 'lost' : t.state}`} data-testid="transport-state" data-state={lost ? 'lost' : t.state} title={t.error ?? label}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function NotifyToggles() {
  const notify = useApp((s) => s.notifyEnabled);
  const sound = useApp((s) => s.soundEnabled);
  // In Electron the main process shows native notifications; only the sound is ours.
  const desktop = useApp((s) => s.transport?.kind === 'ipc');
  const onNotify = async () => {
    const st = appStore.getState();
    if (st.notifyEnabled) {
      st.setNotifyEnabled(false);
      return;
    }
    // Permission is asked here, from the click, never on load.
    const perm = await requestNotifications();
    st.setNotifyEnabled(perm === 'granted');
    if (perm === 'denied') alertDenied();
  };
  const onSound = () => {
    const st = appStore.getState();
    if (!st.soundEnabled) primeAudio();
    st.setSoundEnabled(!st.soundEnabled);
  };
  const perm = notificationPermission();
  return (
    <>
      {desktop ? null : (
        <button
          type="button"
          className="btn btn-ghost"
          aria-pressed={notify && perm === 'granted'}
          onClick={onNotify}
          data-testid="notify-toggle"
          disabled={perm === 'unsupported'}
          title={perm === 'denied' ? 'Notifications are blocked for this page' : 'Desktop notifications when an alert fires or resolves'}
        >
          Notifications {notify && perm === 'granted' ? 'on' : 'off'}
        </button>
      )}
      <button type="button" className="btn btn-ghost" aria-pressed={sound} onClick={onSound} data-testid="sound-toggle" title="Play a sound when an alert fires or resolves">
        Sound {sound ? 'on' : 'off'}
      </button>
    </>
  );
}

function alertDenied(): void {
  // keep it quiet: the button title explains; log for the curious
  console.info('payops: notifications are blocked for this page');
}

export const Header = memo(function Header({ active }: { active: string }) {
  const paused = useApp((s) => s.paused);
  const theme = useApp((s) => s.theme);
  return (
    <header className="topbar">
      <div className="brand" aria-label="payops">
        <span className="brand-mark" aria-hidden="true" />
        payops
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <a href={`#/${v.id}`} aria-current={v.id === active ? 'page' : undefined} data-testid={`nav-${v.id}`}>
                {v.title}
                {v.badge ? <NavBadge badge={v.badge} /> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="topbar-status">
        <SessionBadge />
        <TransportDot />
      </div>
      <div className="topbar-actions">
        <NotifyToggles />
        <button
          type="button"
          className={`btn ${paused ? 'btn-warn' : ''}`}
          aria-pressed={paused}
          onClick={() => appStore.getState().togglePause()}
          data-testid="pause-toggle"
          title={paused ? 'Resume the live view' : 'Freeze the live view (data keeps being collected)'}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => appStore.getState().toggleTheme()}
          data-testid="theme-toggle"
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
      </div>
    </header>
  );
});
