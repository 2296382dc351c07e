// Test-only: a real web host on 127.0.0.1 for the tests of what it answers before any request
// reaches a service (refusals, raw socket answers, request bodies, slow and idle clients).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ApiBackend } from '../../electron/core/host/apiBackend';
import { startWebHost, type WebHost, type WebHostOptions } from '../../electron/web/webHost';
import { servicesFrom } from './apiServices';
import { tempDir } from './tempDir';

/** A backend whose every request fails the test: the host must answer without it. */
export function unreachableBackend(): ApiBackend {
  return {
    services: servicesFrom(() => {
      throw new Error('not called');
    }),
    subscribe: () => () => {},
    close: async () => {},
  };
}

/** A renderer of one index.html, in a folder removed after the test file. */
function onePageRenderer(dirPrefix: string): string {
  const rendererDir = tempDir(dirPrefix);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><head></head>');
  return rendererDir;
}

/** What a test may set on an idle host (the backend, renderer and port are the kit's). */
export type IdleHostOptions = Omit<WebHostOptions, 'backend' | 'rendererDir' | 'port'>;

const startIdleHost = (rendererDir: string, options: IdleHostOptions = {}) => startWebHost({ ...options, backend: unreachableBackend(), rendererDir, port: 0 });

/**
 * One host for the whole test file (port 0, a renderer of one index.html), started before its
 * tests and closed after them. Returns the running host (call it inside a test or hook).
 */
export function webHostForFile(dirPrefix: string): () => WebHost {
  const rendererDir = onePageRenderer(dirPrefix);
  let host: WebHost | null = null;
  beforeAll(async () => {
    host = await startIdleHost(rendererDir);
  });
  afterAll(async () => {
    await host?.close();
  });
  return () => {
    if (!host) throw new Error('the web host starts in beforeAll');
    return host;
  };
}

/**
 * Hosts of the same kind started by each test with its own options (a header timeout, limits),
 * each closed after its test: `start(options)` returns the running host.
 */
export function idleWebHosts(dirPrefix: string): (options?: IdleHostOptions) => Promise<WebHost> {
  const rendererDir = onePageRenderer(dirPrefix);
  const started: WebHost[] = [];
  afterEach(async () => {
    for (const h of started.splice(0)) await h.close();
  });
  return async (options) => {
    const host = await startIdleHost(rendererDir, options);
    started.push(host);
    return host;
  };
}
