import { describe, expect, it } from 'vitest';
import { apiRequestSchemas } from './api';

describe('the replay and capture contract', () => {
  it('opens and records only files named as captures are (.ndjson, .jsonl, .gz)', () => {
    for (const file of ['/data/incident.ndjson', '/data/incident.JSONL', '/data/incident.ndjson.gz']) {
      expect(apiRequestSchemas['replay.open'].safeParse({ file }).success, file).toBe(true);
      expect(apiRequestSchemas['capture.start'].safeParse({ file }).success, file).toBe(true);
    }
    for (const file of ['/etc/shadow', '/root/.ssh/id_ed25519', '/home/op/.bashrc', '/data/incident.ndjson.txt']) {
      const open = apiRequestSchemas['replay.open'].safeParse({ file });
      expect(open.success, file).toBe(false);
      expect(open.error?.issues[0].message).toBe('a capture file ends in .ndjson, .jsonl or .gz');
      expect(apiRequestSchemas['capture.start'].safeParse({ file }).success, file).toBe(false);
    }
  });
});
