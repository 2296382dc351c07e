import type { EngineSnapshot } from '../../../shared/metrics';
import type { AlertNotification } from '../../../shared/alerts';

export type ToWorker =
  | { type: 'request'; id: number; name: string; args: unknown }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; error: string; kind: string }
  | { type: 'snapshot'; snapshot: EngineSnapshot }
  | { type: 'alert'; notification: AlertNotification }
  | { type: 'log'; line: string }
  | { type: 'drained' }
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string }
  | { type: 'stopped' };
