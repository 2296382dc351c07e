import type { ApiPushes, ApiPushName } from '../../../shared/api';
import type { ApiServices } from '../../../shared/apiDispatch';

/**
 * What a host (Electron IPC in main.ts, the loopback web host) needs from the engine side:
 * every service of the API contract, and a way to hear pushes. Both hosts dispatch into this
 * same object (shared/apiDispatch.ts), so the renderer sees the same API whichever serves it.
 */
export interface ApiBackend {
  services: ApiServices;
  subscribe<K extends ApiPushName>(name: K, listener: (payload: ApiPushes[K]) => void): () => void;
  close(): Promise<void>;
}
