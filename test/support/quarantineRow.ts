// Test support: a quarantined message as the explorer lists it (a body that is not JSON), for the
// renderer's quarantine tests.
import type { QuarantineRow } from '../../shared/explorer';

export const quarantineRow = (seq: number, arrivalMs: number, more: Partial<QuarantineRow> = {}): QuarantineRow => ({
  seq,
  arrivalMs,
  reason: 'body is not JSON',
  routingKey: 'payment.authorized',
  contentType: 'application/json',
  origin: null,
  headers: null,
  body: { encoding: 'utf8', text: '{"half":', size: 8, truncated: false },
  ...more,
});
