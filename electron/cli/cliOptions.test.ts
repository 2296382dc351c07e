// Times on the command line mean the same instant on every workstation, whatever its zone.
import { describe, expect, it } from 'vitest';
import { brokerConfigFrom, isoTime, parseIsoTime, portNumber, positiveInt, positiveIntOrZero, type BrokerFlags } from './cliOptions';
import { CliError } from './cliErrors';

describe('parseIsoTime', () => {
  it('reads a time without an offset as UTC, as the same time with Z', () => {
    const utc = Date.UTC(2026, 10, 23, 6, 12, 0);
    for (const v of ['2026-11-23T06:12:00Z', '2026-11-23T06:12:00', '2026-11-23T06:12', '2026-11-23 06:12:00', '2026-11-23t06:12:00z']) expect(parseIsoTime(v), v).toBe(utc);
    expect(parseIsoTime('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
  });

  it('applies offsets and fractions', () => {
    expect(parseIsoTime('2026-11-23T07:12:00+01:00')).toBe(Date.UTC(2026, 10, 23, 6, 12));
    expect(parseIsoTime('2026-11-23T01:12:00-0500')).toBe(Date.UTC(2026, 10, 23, 6, 12));
    expect(parseIsoTime('2026-11-23T06:12:00.1234Z')).toBe(Date.UTC(2026, 10, 23, 6, 12, 0, 123));
  });

  it('refuses dates that do not exist and text that is not a time', () => {
    for (const v of ['2026-02-30T00:00:00Z', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-11-23T24:00:00Z', '2026-11-23T06:60', 'yesterday', '1795414320000', '']) {
      expect(parseIsoTime(v), v).toBeNull();
    }
    expect(parseIsoTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    // an offset no clock has (hours past 23, minutes past 59) moved the window by that much
    for (const v of ['2026-11-23T05:00:00+25:00', '2026-11-23T05:00:00+05:99', '2026-11-23T05:00:00-2400']) expect(parseIsoTime(v), v).toBeNull();
    expect(parseIsoTime('2026-11-23T05:00:00+14:00')).toBe(Date.UTC(2026, 10, 22, 15, 0));
    expect(parseIsoTime('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });

  it('the same with the machine in another zone (the flag is read in this process)', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseIsoTime('2026-11-23T06:12:00')).toBe(Date.UTC(2026, 10, 23, 6, 12));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('isoTime flags', () => {
  it('names the flag in its error, and takes epoch ms only where asked', () => {
    expect(() => isoTime('--from')('2026-02-30T00:00:00Z')).toThrow(/--from must be an ISO 8601 time/);
    expect(() => isoTime('--from')('1795414320000')).toThrow(/--from/);
    expect(isoTime('--since', { epochMs: true })('1795414320000')).toBe(1795414320000);
  });

  it('says what is wrong with a date that does not exist or an offset no clock has', () => {
    expect(() => isoTime('--from')('2026-02-31T10:00:00Z')).toThrow(/^--from must be an ISO 8601 time .*: 2026-02-31 does not exist, February 2026 has 28 days$/);
    expect(() => isoTime('--to')('2026-04-31')).toThrow(/: 2026-04-31 does not exist, April 2026 has 30 days$/);
    expect(() => isoTime('--to')('2026-11-23T24:00:00Z')).toThrow(/: 24:00:00 is not a time of day$/);
    expect(() => isoTime('--to')('2026-11-23T05:00:00+25:00')).toThrow(/: \+25:00 is not an offset from UTC \(hours 00-23, minutes 00-59\)$/);
  });
});

describe('brokerConfigFrom', () => {
  const flags: BrokerFlags = { amqp: 'amqp://127.0.0.1', exchange: 'payments', exchangeType: 'topic', bind: [], queueType: 'classic', prefetch: 10, watch: [] };
  it('refuses --stream-offset for a queue that is not a stream, instead of ignoring it', () => {
    // collect --stream-offset first (a classic queue by default) consumed as if it were not given.
    expect(() => brokerConfigFrom({ ...flags, streamOffset: 'first' })).toThrow(/--stream-offset needs --queue-type stream/);
    expect(() => brokerConfigFrom({ ...flags, queueType: 'quorum', streamOffset: 'first' })).toThrow(CliError);
    expect(brokerConfigFrom({ ...flags, queueType: 'stream', streamOffset: 'first' })?.streamOffset).toBe('first');
  });
});

describe('whole-number flags', () => {
  it("refuse text Number() would take: '' (as 0), hex, binary, exponents, fractions, beyond 2^53", () => {
    for (const v of ['', ' ', '0x10', '0b1', '0o7', '1e3', '1.5', '-1', '+3', 'Infinity', '9007199254740993', '12abc']) {
      expect(() => positiveInt('--limit')(v), v).toThrow('--limit must be a positive whole number');
      expect(() => positiveIntOrZero('--connect-retries')(v), v).toThrow('--connect-retries must be a whole number');
      expect(() => portNumber('--port')(v), v).toThrow('--port must be a whole number from 0 to 65535');
    }
    expect(positiveInt('--limit')('16')).toBe(16);
    expect(positiveIntOrZero('--connect-retries')('0')).toBe(0);
    expect(positiveInt('--limit')(' 7 ')).toBe(7);
  });

  it('--port takes 0 (a free port) to 65535 and nothing above', () => {
    expect(portNumber('--port')('0')).toBe(0);
    expect(portNumber('--port')('65535')).toBe(65535);
    for (const v of ['65536', '70000']) expect(() => portNumber('--port')(v), v).toThrow('--port must be a whole number from 0 to 65535');
  });
});
