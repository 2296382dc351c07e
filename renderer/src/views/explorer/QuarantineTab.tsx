// Quarantined messages: why each was refused, when, its routing key, headers and body
// (text when it is UTF-8, hex otherwise, capped), newest first, paged by keyset.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { QuarantineCursor, QuarantineRow } from '../../../../shared/explorer';
import { fmtCount, fmtCountText, fmtDateTime, fmtDateTimeMsZone, fmtInstantTitle, fmtZoneSpan } from '../../lib/format';
import { errorText, explorerCall } from './explorerClient';
import { withFormatCharactersShown } from '../../../../shared/formatCharacters';
import { Sentence } from '../../components/Sentence';
import { UntrustedText } from '../../components/UntrustedText';

export function QuarantineTab() {
  const [rows, setRows] = useState<QuarantineRow[]>([]);
  const [cursor, setCursor] = useState<QuarantineCursor | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [appliedReason, setAppliedReason] = useState('');
  const [open, setOpen] = useState<QuarantineRow | null>(null);
  /** Listed rows found deleted (by the retention) when opened. */
  const [gone, setGone] = useState<ReadonlySet<number>>(new Set());
  const markGone = useCallback((seq: number) => setGone((g) => (g.has(seq) ? g : new Set(g).add(seq))), []);

  // The list being read: a new filter or a refresh starts another, and a page of the one before
  // that comes late is dropped (it would be appended to the new filter's rows).
  const list = useRef(0);
  const load = useCallback(
    async (reset: boolean, from: QuarantineCursor | null) => {
      if (reset) {
        list.current++;
        // The rows of the list before are not this one's: a failed first page must not leave
        // them, or "Nothing quarantined", under the new filter.
        setRows([]);
        setDone(false);
        setError(null);
      }
      const reading = list.current;
      setLoading(true);
      try {
        const page = await explorerCall('quarantine.query', { limit: 100, cursor: reset ? null : from, ...(appliedReason ? { reason: appliedReason } : {}) });
        if (reading !== list.current) return;
        setRows((r) => (reset ? page.rows : [...r, ...page.rows]));
        if (reset) setGone(new Set());
        setCursor(page.nextCursor);
        setDone(page.nextCursor === null);
        setError(null);
      } catch (err) {
        if (reading === list.current) setError(errorText(err));
      } finally {
        if (reading === list.current) setLoading(false);
      }
    },
    [appliedReason],
  );
  useEffect(() => {
    setOpen(null);
    void load(true, null);
  }, [load]);

  return (
    <div className="explorer-quarantine">
      <form
        className="toolbar"
        role="search"
        aria-label="Quarantine filter"
        onSubmit={(e) => {
          e.preventDefault();
          setAppliedReason(reason.trim());
        }}
      >
        <label className="inline-field">
          Reason contains{' '}
          <input type="search" aria-label="Reason contains" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="UTF-8" />
        </label>
        <button type="submit" className="btn btn-small">
          Filter
        </button>
        <button type="button" className="btn btn-small" onClick={() => void load(true, null)}>
          Refresh
        </button>
        <span className="muted small" role="status">
          {quarantineCountText({ rows: rows.length, done, error: error !== null })}
        </span>
      </form>
      {error ? (
        <div className="error-text small" role="alert">
          Quarantine unavailable: {error}
        </div>
      ) : null}
      <div className="explorer-split">
        <section className="panel" aria-label="Quarantined messages">
          <QuarantineList rows={rows} loading={loading} failed={error !== null} filtered={appliedReason !== ''} openSeq={open?.seq ?? null} gone={gone} onOpen={setOpen} />
          {!done ? (
            <button type="button" className="btn btn-small" disabled={loading} onClick={() => void load(false, cursor)}>
              {loading ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </section>
        <aside className="explorer-side">{open ? <QuarantineDetail row={open} onClose={() => setOpen(null)} onGone={markGone} /> : <div className="panel empty small">Select a message to see its headers and body.</div>}</aside>
      </div>
    </div>
  );
}

/** The listed messages, newest first; a row the retention deleted since is dimmed and says so. */
/**
 * The count beside the filter: how many are listed, "N+" while more pages remain; nothing when
 * the first page could not be read (the error says why), never "0+" as if the list were empty.
 */
export function quarantineCountText(s: { rows: number; done: boolean; error: boolean }): string {
  if (s.error && s.rows === 0) return '';
  return s.done ? fmtCountText(s.rows, 'quarantined message') : `${fmtCount(s.rows)}+ quarantined messages`;
}

/** The rows read, or that nothing is quarantined; nothing while the first page is on its way or could not be read. */
export function QuarantineList({ rows, loading, failed, filtered, ...table }: { rows: QuarantineRow[]; loading: boolean; failed: boolean; filtered: boolean; openSeq: number | null; gone: ReadonlySet<number>; onOpen: (row: QuarantineRow) => void }) {
  if (rows.length === 0 && (loading || failed)) return null;
  if (rows.length === 0) {
    return (
      <div className="empty" data-testid="quarantine-empty">
        Nothing quarantined{filtered ? ' with that reason' : ''}.
      </div>
    );
  }
  return <QuarantineTable rows={rows} {...table} />;
}

export function QuarantineTable({ rows, openSeq, gone, onOpen }: { rows: QuarantineRow[]; openSeq: number | null; gone: ReadonlySet<number>; onOpen: (row: QuarantineRow) => void }) {
  const zone = useMemo(() => fmtZoneSpan(rows.map((r) => r.arrivalMs), Date.now()), [rows]);
  return (
    <table className="table" data-testid="quarantine-table">
      <thead>
        <tr>
          <th scope="col">Arrived ({zone})</th>
          <th scope="col">Reason</th>
          <th scope="col">Routing key</th>
          <th scope="col" className="num">
            Size
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.seq}
            tabIndex={0}
            aria-selected={openSeq === r.seq}
            onClick={() => onOpen(r)}
            onKeyDown={(e) => {
              // Enter and Space, as an event row takes them; Space would scroll the list too.
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onOpen(r);
              }
            }}
            className={`${openSeq === r.seq ? 'selected' : ''}${gone.has(r.seq) ? ' muted' : ''}`}
            data-testid="quarantine-row"
            data-gone={gone.has(r.seq) || undefined}
          >
            <td className="nowrap mono" title={fmtInstantTitle(r.arrivalMs)}>
              {fmtDateTime(r.arrivalMs)}
            </td>
            <td>
              <Sentence text={r.reason} />
              {gone.has(r.seq) ? <span className="small"> (deleted by the retention)</span> : null}
            </td>
            <td className="mono">{r.routingKey !== null ? <UntrustedText text={r.routingKey} /> : '—'}</td>
            <td className="num mono">{fmtCount(r.body.size)} B</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The detail's message: the listed row while it is read again, then the stored one, or why there is none. */
export type QuarantineDetailState = { state: 'loading' } | { state: 'held'; row: QuarantineRow } | { state: 'gone' } | { state: 'failed'; message: string };

function QuarantineDetail({ row, onClose, onGone }: { row: QuarantineRow; onClose: () => void; onGone: (seq: number) => void }) {
  const [detail, setDetail] = useState<QuarantineDetailState>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setDetail({ state: 'loading' });
    explorerCall('quarantine.get', { seq: row.seq })
      .then((r) => {
        if (!live) return;
        // No row: the retention (or a compaction) deleted it after the list was read.
        setDetail(r.row ? { state: 'held', row: r.row } : { state: 'gone' });
        if (!r.row) onGone(row.seq);
      })
      .catch((err: unknown) => live && setDetail({ state: 'failed', message: errorText(err) }));
    return () => {
      live = false;
    };
  }, [row, onGone]);
  return <QuarantineDetailPanel listed={row} detail={detail} onClose={onClose} />;
}

export function QuarantineDetailPanel({ listed, detail, onClose }: { listed: QuarantineRow; detail: QuarantineDetailState; onClose: () => void }) {
  const full = detail.state === 'held' ? detail.row : listed;
  return (
    <section className="panel explorer-detail" aria-label="Quarantined message" data-testid="quarantine-detail">
      <div className="explorer-panel-head">
        <h2>Quarantined message</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close quarantined message">
          ✕
        </button>
      </div>
      {detail.state === 'gone' ? (
        <p className="small" role="status" data-testid="quarantine-gone">
          This message (arrived <span title={new Date(listed.arrivalMs).toISOString()}>{fmtDateTimeMsZone(listed.arrivalMs)}</span>) is no longer held: the retention deleted it after the list was read. Refresh the list to see what is held now.
        </p>
      ) : detail.state === 'failed' ? (
        <p className="error-text small" role="alert" data-testid="quarantine-detail-error">
          Could not read it again: {detail.message}
        </p>
      ) : (
        <QuarantineContent full={full} />
      )}
    </section>
  );
}

function QuarantineContent({ full }: { full: QuarantineRow }) {
  return (
    <>
      <dl className="kv small">
        <dt>Reason</dt>
        <dd>
          <Sentence text={full.reason} />
        </dd>
        <dt>Arrived</dt>
        <dd className="mono" title={new Date(full.arrivalMs).toISOString()}>
          {fmtDateTimeMsZone(full.arrivalMs)}
        </dd>
        <dt>Routing key</dt>
        <dd className="mono">{full.routingKey !== null ? <UntrustedText text={full.routingKey} /> : '—'}</dd>
        <dt>Content type</dt>
        <dd className="mono">{full.contentType !== null ? <UntrustedText text={full.contentType} /> : '—'}</dd>
        {full.origin ? (
          <>
            <dt>Origin</dt>
            <dd className="mono">
              <UntrustedText text={full.origin} />
            </dd>
          </>
        ) : null}
      </dl>
      <h3 className="small">Headers</h3>
      <pre className="explorer-json mono" aria-label="Headers">
        {full.headers ? withFormatCharactersShown(JSON.stringify(full.headers, null, 2)) : '(none)'}
      </pre>
      <h3 className="small">
        Body ({full.body.encoding === 'hex' ? 'hex, not UTF-8 text' : 'UTF-8 text'}, {fmtCount(full.body.size)} bytes
        {full.body.truncated ? ', shown in part' : ''})
      </h3>
      <pre className="explorer-json mono" aria-label="Body" data-testid="quarantine-body" data-encoding={full.body.encoding}>
        {full.body.text}
      </pre>
    </>
  );
}
