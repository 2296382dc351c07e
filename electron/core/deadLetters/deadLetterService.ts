// Thread: the engine thread (a live session's broker config, its store's audit log and its
// alert rules live here). The console's dead-letter service: the same code paths as
// `payops dead-letters` (browse through the management API without consuming, the dry run's
// plan, the redrive with confirms and its audit log), plus the sandbox dry run. The sandbox
// runs here, synchronously: a selection is at most 500 messages (about 0.2 s with its fresh
// database), held against an operator's click, not against every batch.
import os from 'node:os';
import type { ApiService } from '../../../shared/apiDispatch';
import type { AlertRule } from '../../../shared/alertRules';
import type { RedriveAuditEntry } from '../../../shared/deadLetters';
import { browseDeadLetterInputs, dryRun } from '../broker/deadLetterBrowse';
import { describeDeadLetter } from '../broker/deadLetterMessage';
import { listDeadLetterQueues } from '../broker/deadLetterQueues';
import { redriveDeadLetters } from '../broker/deadLetterRedrive';
import type { BrokerConfig } from '../broker/brokerConfig';
import type { ManagementClient } from '../broker/managementClient';
import { managementClientFor } from '../broker/watchedQueues';
import type { ReadStore } from '../store/store';
import type { RedriveAuditLog } from '../broker/deadLetterRedrive';
import { replayIntoSandbox } from './deadLetterSandbox';

export interface DeadLetterServiceOptions {
  /** The session's broker (absent: a demo, replay or follower session, which has none to read). */
  broker: Pick<BrokerConfig, 'url' | 'managementUrl'> | undefined;
  /** The session's store: the audit log, and the events a dry run compares with. */
  store: Pick<ReadStore, 'events'> & { redriveAudit: RedriveAuditLog & Pick<ReadStore['redriveAudit'], 'list'> };
  rules: () => readonly AlertRule[];
  readOnly: boolean;
  /** Who the audit log names (the OS user and host by default). */
  actor?: string;
  maxBodyBytes?: number;
}

export class DeadLetterService implements ApiService<'deadLetters'> {
  private readonly actor: string;

  constructor(private readonly o: DeadLetterServiceOptions) {
    this.actor = o.actor ?? `${os.userInfo().username}@${os.hostname()} (console)`;
  }

  async queues({ named }: { named: string[] }) {
    const client = this.management();
    const queues = await listDeadLetterQueues(client, [...new Set(named)]);
    return { queues, readOnly: this.o.readOnly, vhost: client.endpoint.vhost };
  }

  async browse({ queue, count }: { queue: string; count: number }) {
    const inputs = await browseDeadLetterInputs(this.management(), queue, count);
    return { queue, messages: inputs.map(describeDeadLetter) };
  }

  async dryRun({ queue, ids, copies = [], count }: { queue: string; ids: string[]; copies?: string[]; count: number }) {
    const inputs = await browseDeadLetterInputs(this.management(), queue, count, 'dry-run');
    const wanted = new Set([...ids, ...copies]);
    const selected = inputs.map((input) => ({ input, message: describeDeadLetter(input) })).filter((m) => wanted.has(m.message.id) || wanted.has(m.message.copyId));
    const found = new Set(selected.flatMap((m) => [m.message.id, m.message.copyId]));
    return {
      plan: dryRun(selected.map((m) => m.message)),
      sandbox: replayIntoSandbox(
        selected.map((m) => m.input),
        { rules: this.o.rules(), stored: this.o.store.events, maxBodyBytes: this.o.maxBodyBytes },
      ),
      missing: [...ids, ...copies].filter((id) => !found.has(id)),
    };
  }

  async redrive({ queue, ids, copies = [], ratePerSecond }: { queue: string; ids: string[]; copies?: string[]; ratePerSecond: number }) {
    const broker = this.o.broker;
    if (!broker) throw new Error('redrive needs a live session connected to a broker');
    // The management API tells whether the queue is a quorum queue with a delivery limit (refused).
    return redriveDeadLetters({ url: broker.url, queue, ids, copies, audit: this.o.store.redriveAudit, management: this.management(), actor: this.actor, readOnly: this.o.readOnly, ratePerSecond });
  }

  audit({ limit }: { limit: number }): { entries: RedriveAuditEntry[] } {
    return {
      entries: this.o.store.redriveAudit.list(limit).map((r) => ({
        redriveId: r.redriveId,
        at: r.at,
        actor: r.actor,
        messageId: r.messageId,
        fromQueue: r.fromQueue,
        toExchange: r.toExchange,
        toRoutingKey: r.toRoutingKey,
        step: r.step,
        detail: r.detail,
        copyId: r.copyId,
      })),
    };
  }

  private management(): ManagementClient {
    const broker = this.o.broker;
    if (!broker) throw new Error('dead letters need a live session connected to a broker (this session has none)');
    const client = managementClientFor(broker);
    if (!client) throw new Error('dead letters need the management API (the profile switches it off)');
    return client;
  }
}
