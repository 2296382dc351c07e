// IngestPipeline.push runs in the loop handing a chunk of deliveries to the engine
// (BrokerIntake.deliver). A message it threw on (the capture's tap refusing it, or anything
// else before the message is batched) threw out of that loop: the rest of the chunk was never
// pushed, the next batch's multiple=true acknowledgement took it along unstored, and the
// engine thread ended. Restarted, the console got the same message again (a classic queue
// counts no deliveries: nothing could tell it was the culprit) and ended again. Real SQLite.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../store/store';
import { IngestPipeline, type PipelineInput } from './ingestPipeline';

const dir = tempDir('payops-push-');

function message(tag: number, body = JSON.stringify(paymentEvent('payment.authorized'))): PipelineInput {
  return { raw: { body: Buffer.from(body), headers: null, contentType: 'application/json', routingKey: 'payment.authorized', arrivalMs: Date.now() }, ackToken: tag };
}

describe('a message the pipeline fails on before batching it', () => {
  it('does not throw out of push: the capture leaves it out, it is stored, the rest of the chunk too, one line said', () => {
    const store = openStore(path.join(dir, 'tap.db'));
    const logs: string[] = [];
    const acked: number[] = [];
    const pipeline = new IngestPipeline(store.ingest, {
      batchSize: 100,
      flushMs: 1000,
      acknowledge: (token, count) => void acked.push(token as number, count),
      tap: (raw) => {
        if (raw.body.toString().includes('"poison-')) throw new Error('capture line too odd to write');
      },
      log: (line) => void logs.push(line),
    });
    try {
      const poison = (id: string): string => JSON.stringify({ ...paymentEvent('payment.authorized'), id });
      const chunk = [message(1), message(2, poison('poison-a')), message(3), message(4, poison('poison-b')), message(5)];
      for (const m of chunk) pipeline.push(m);
      expect(pipeline.flush()).toBe(true);
      expect(acked).toEqual([5, 5]);
      expect(store.stats()).toMatchObject({ events: 5, quarantined: 0 });
      expect(logs.filter((l) => /capture line too odd/.test(l))).toHaveLength(1);
    } finally {
      pipeline.close();
      store.close();
    }
  });
});
