// The redrive audit log goes into incident reports: the steps of the window, oldest first,
// in the JSON data and as a table in the HTML.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../store/store';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir();

describe('redrives in incident reports', () => {
  it('lists every audited step of the window, and the HTML shows them', () => {
    const store = openStore(path.join(dir, 'report.db'));
    try {
      const t0 = Date.UTC(2030, 0, 1, 10);
      const row = (at: number, step: 'publishing' | 'confirmed' | 'removed', messageId: string) =>
        store.redriveAudit.record({ redriveId: 'rd-1', at, actor: 'ops@host (cli)', messageId, fromQueue: 'orders.dlq', toExchange: 'payments', toRoutingKey: 'payment.authorized', step, detail: null });
      row(t0, 'publishing', 'm-1');
      row(t0 + 10, 'confirmed', 'm-1');
      row(t0 + 20, 'removed', 'm-1');
      row(t0 + 5 * 3_600_000, 'publishing', 'outside');
      const d = buildReport(store, { from: t0 - 60_000, to: t0 + 60_000 });
      expect(d.redrives!.map((r) => [r.messageId, r.step])).toEqual([
        ['m-1', 'publishing'],
        ['m-1', 'confirmed'],
        ['m-1', 'removed'],
      ]);
      const html = renderReportHtml(d);
      expect(html).toContain('Dead-letter redrives');
      expect(html).toContain('orders.dlq');
      expect(html).toContain('payments / payment.authorized');
    } finally {
      store.close();
    }
  });

  it('masks card numbers, e-mail addresses and credentials in the steps (unless masking is off); the actor stays', () => {
    const store = openStore(path.join(dir, 'report-mask.db'));
    try {
      const t0 = Date.UTC(2030, 0, 1, 10);
      store.redriveAudit.record({
        redriveId: 'rd-2', at: t0, actor: 'ops@host (cli)', messageId: 'refund-alice@example.com-4111111111111111', fromQueue: 'orders.dlq', toExchange: 'payments',
        toRoutingKey: 'payment.authorized', step: 'failed',
        detail: 'publish refused by amqp://payops:s3cretpw@broker.internal:5672/ for card 4111 1111 1111 1111 (alice@example.com)',
      });
      const d = buildReport(store, { from: t0 - 60_000, to: t0 + 60_000 });
      const out = JSON.stringify(d) + renderReportHtml(d);
      for (const leak of ['s3cretpw', '4111 1111 1111 1111', '4111111111111111', 'alice@example.com']) expect(out).not.toContain(leak);
      expect(d.redrives![0].detail).toBe('publish refused by amqp://***@broker.internal:5672/ for card 41**********1111 (***)');
      expect(d.redrives![0].actor).toBe('ops@host (cli)');
      const raw = buildReport(store, { from: t0 - 60_000, to: t0 + 60_000, mask: false });
      expect(raw.redrives![0].detail).toContain('s3cretpw');
    } finally {
      store.close();
    }
  });
});
