// A dead letter whose body was sent gzip-compressed (content-encoding gzip): the consumer reads
// such a body decompressed (bodyEncoding.ts), so browsing the dead-letter queue and its dry run
// must read it the same way, or they would call quarantined what a redrive gets stored. Real
// broker: a real x-dead-letter-exchange, browsed through the management API.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { deadLetterTopology, deleteDeadLetterTopology, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { replayIntoSandbox } from '../deadLetters/deadLetterSandbox';
import { browseDeadLetterInputs, browseDeadLetters } from './deadLetterBrowse';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const t = deadLetterTopology('dlq-gzip');
const client = new ManagementClient(managementEndpoint(AMQP_URL));

beforeAll(() => fillDeadLetterQueue(t, ['gz-1'], ['gz-2'], AMQP_URL, { contentEncoding: 'gzip', encode: (body) => gzipSync(body) }), 20_000);

afterAll(() => deleteDeadLetterTopology(t));

describe('a gzip-compressed dead letter', () => {
  it('is browsed and dry-run as the consumer reads it: decoded, stored by the sandbox', async () => {
    const browsed = await browseDeadLetters(client, t.dlq, 10);
    // One rejected, one expired: in the order the broker dead-lettered them.
    const decoded = browsed.map((m) => m.decoded).sort((a, b) => String(a.ok && a.eventId).localeCompare(String(b.ok && b.eventId)));
    expect(decoded).toEqual([expect.objectContaining({ ok: true, eventId: 'gz-1' }), expect.objectContaining({ ok: true, eventId: 'gz-2' })]);
    const inputs = await browseDeadLetterInputs(client, t.dlq, 10);
    const report = replayIntoSandbox(inputs, { rules: [], stored: null, tempDir: tempDir('payops-dlq-gzip-') });
    expect(report).toMatchObject({ stored: 2, quarantined: [] });
  }, 15_000);
});
