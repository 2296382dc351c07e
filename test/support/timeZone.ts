// Test support: runs a test file's tests in one IANA time zone (process.env.TZ, read by Date in
// this process), and puts back the zone it found.
import { afterAll, beforeAll } from 'vitest';

export function inTimeZone(zone: string): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.TZ;
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  });
}
