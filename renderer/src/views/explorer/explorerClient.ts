// Explorer requests through the app's one client (IPC in Electron, WebSocket in a browser).
import type { ApiArgs, ApiResults } from '../../../../shared/api';
import type { ExplorerRequestName } from '../../../../shared/explorer';
import { getClient } from '../../api/client';

export function explorerCall<K extends ExplorerRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]> {
  return getClient().invoke(name, args);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
