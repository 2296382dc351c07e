// The quarantined message's detail as the renderer draws it (react-dom/server, no DOM needed):
// a row the retention deleted after the list was read says it is gone, without the list's
// stale copy of its headers and body.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { quarantineRow } from '../../../../test/support/quarantineRow';
import { QuarantineDetailPanel } from './QuarantineTab';

const listed = quarantineRow(42, Date.UTC(2026, 10, 1, 8, 0, 0), { headers: { 'x-trace': 'abc' } });
const draw = (detail: Parameters<typeof QuarantineDetailPanel>[0]['detail']) => renderToStaticMarkup(<QuarantineDetailPanel listed={listed} detail={detail} onClose={() => undefined} />);

describe('quarantined message detail', () => {
  it('says a row the retention has deleted since the list was read is gone, and shows none of its stale content', () => {
    const html = draw({ state: 'gone' });
    expect(html).toContain('data-testid="quarantine-gone"');
    expect(html).toContain('no longer held: the retention deleted it after the list was read');
    expect(html).not.toContain('{&quot;half&quot;:');
    expect(html).not.toContain('x-trace');
    expect(html).not.toContain('data-testid="quarantine-body"');
  });

  it('shows the message read again when it is held, and the listed one while it is read', () => {
    const held = draw({ state: 'held', row: { ...listed, body: { ...listed.body, text: '{"half": the whole body' } } });
    expect(held).toContain('{&quot;half&quot;: the whole body');
    expect(held).not.toContain('quarantine-gone');
    expect(draw({ state: 'loading' })).toContain('{&quot;half&quot;:');
  });

  it('says why it could not be read, without the stale content', () => {
    const html = draw({ state: 'failed', message: 'the read worker stopped' });
    expect(html).toContain('Could not read it again: the read worker stopped');
    expect(html).not.toContain('data-testid="quarantine-body"');
  });
});
