// Test-only: a real web host on 127.0.0.1 for the tests of what it answers before any request
// reaches a service (refusals, raw socket answers, request bodies).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ApiBackend } from '../../electron/core/host/apiBackend';
import { startWebHost, type WebHost } from '../../electron/web/webHost';
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

/**
 * One host for the whole test file (port 0, a renderer of one index.html), started before its
 * tests and closed after them. Returns the running host (call it inside a test or hook).
 */
export function webHostForFile(dirPrefix: string): () => WebHost {
  const rendererDir = tempDir(dirPrefix);
  let host: WebHost | null = null;
  beforeAll(async () => {
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><head></head>');
    host = await startWebHost({ backend: unreachableBackend(), rendererDir, port: 0 });
  });
  afterAll(async () => {
    await host?.close();
  });
  return () => {
    if (!host) throw new Error('the web host starts in beforeAll');
    return host;
  };
}
