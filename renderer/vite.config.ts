import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served from a custom protocol in Electron (app://payops/) and from the
// loopback web host (http://127.0.0.1:PORT/), so every asset path is relative and nothing
// is fetched from outside the bundle. The output must satisfy a strict CSP: no inline
// scripts, no eval.
const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist-renderer', import.meta.url));
// `vite --config renderer/vite.config.ts` for UI work: set PAYOPS_DEV_API to a running web
// host (http://127.0.0.1:PORT) and open the dev page with that host's ?token=...
const devApi = process.env.PAYOPS_DEV_API;

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Keep everything as files: a data: URL for a font or script would need CSP exceptions.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments rollup cannot place (harmless; it only drops them)
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: devApi ? { '/api': { target: devApi, ws: true, changeOrigin: true } } : undefined,
  },
});
