// Test support: a capture file whose declines spike for 30 s, for the notification tests.
import fs from 'node:fs';
import { paymentEvent } from '../../bench/events';

/** 30 s authorized, 30 s declined, 30 s authorized from `t0`, 10 a second, the i-th with `data(i)` in its data; returns `file`. */
export function declineSpikeCapture(file: string, t0: number, data: (i: number) => Record<string, unknown> = () => ({})): string {
  const lines: string[] = [];
  for (let i = 0; i < 900; i++) {
    const s = i / 10;
    const e = paymentEvent(s >= 30 && s < 60 ? 'payment.declined' : 'payment.authorized', {}, data(i));
    lines.push(JSON.stringify({ ...e, time: new Date(t0 + i * 100).toISOString() }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
