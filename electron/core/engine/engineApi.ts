import type { ApiHandlers, ApiPushes, ApiPushName } from '../../../shared/api';

/**
 * What a host (Electron IPC in main.ts, or the loopback web host) needs from the engine:
 * one handler per API request, and a way to hear pushes. Both hosts take this same object,
 * so the renderer sees the same API whichever way it is served.
 */
export interface ApiBackend {
  handlers: ApiHandlers;
  subscribe<K extends ApiPushName>(name: K, listener: (payload: ApiPushes[K]) => void): () => void;
  close(): Promise<void>;
}
