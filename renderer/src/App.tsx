import { Suspense, useEffect } from 'react';
import { getClient } from './api/client';
import { startSync } from './api/sync';
import { Banners } from './components/Banners';
import { Header } from './components/Header';
import { ShortcutLayer } from './components/ShortcutLayer';
import { appStore, useApp } from './store/appStore';
import { useHashRoute } from './lib/hooks';
import { applySeverityColors } from './lib/severityColors';
import { DEFAULT_VIEW, findView } from './views/registry';

export function App() {
  const theme = useApp((s) => s.theme);
  const route = useHashRoute(DEFAULT_VIEW);
  const view = findView(route);
  const View = view.component;

  useEffect(() => startSync(getClient(), appStore), []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
    applySeverityColors(document.documentElement, theme);
  }, [theme]);

  useEffect(() => {
    document.title = `${view.title} · payops`;
  }, [view.title]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // the hash is the router's: focus the content without navigating
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Header active={view.id} />
      <Banners />
      <ShortcutLayer />
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<div className="empty">Loading…</div>}>
          <View />
        </Suspense>
      </main>
    </div>
  );
}
