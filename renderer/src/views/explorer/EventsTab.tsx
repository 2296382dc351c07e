// Events: a filter bar, a virtualized table that fetches keyset pages as it scrolls, the
// selected event's detail (pretty and raw JSON) and its payment's timeline.
import { countText } from '../../../../shared/countText';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type FormEvent } from 'react';
import type { EventCursor, EventDetail, EventFilter, EventRow, PaymentTimeline } from '../../../../shared/explorer';
import { fmtClockMsZone, fmtCount, fmtDateTime, fmtDateTimeMsZone, fmtDateTimeZone, fmtInstantTitle, fmtZoneSpan } from '../../lib/format';
import { REQUEST_IDLE, requestStep, type RequestState } from '../../lib/latestRequest';
import { localTimeHint } from '../../lib/localTime';
import { withFormatCharactersShown } from '../../../../shared/formatCharacters';
import { Sentence } from '../../components/Sentence';
import { sentencePlainText } from '../../lib/sentenceParts';
import { TabList } from '../../components/TabList';
import { UntrustedText } from '../../components/UntrustedText';
import { useApp } from '../../store/appStore';
import { errorText, explorerCall } from './explorerClient';
import { COMMON_CURRENCIES } from '../../../../shared/currencies';
import { describeDeclineCode } from '../../../../shared/declineCodes';
import {
  EMPTY_FORM,
  EVENT_TYPES,
  RANGE_PRESETS,
  THREE_DS_OUTCOMES,
  amountPlaceholder,
  amountUnit,
  declineTitle,
  explorerHash,
  filterChips,
  filterKey,
  fmtAmount,
  fmtDelta,
  formOfFilter,
  prettyJson,
  toEventFilter,
  withoutChip,
  type FilterChip,
  type FilterForm,
} from './explorerModel';

const PAGE = 200;

/** The payment dimensions typed as text (EVENTS.md); 3-D Secure is a choice of four. */
const DIMENSION_INPUTS: { key: 'issuer' | 'cardBin' | 'scheme' | 'acquirer' | 'mcc' | 'method' | 'attempt'; label: string; placeholder: string; size: number; numeric?: boolean; title?: string }[] = [
  { key: 'issuer', label: 'Issuer', placeholder: 'tamarind-card', size: 12 },
  { key: 'cardBin', label: 'BIN', placeholder: '529412', size: 8, numeric: true, title: 'The start of the card number: 529412 matches every BIN in that range' },
  { key: 'scheme', label: 'Scheme', placeholder: 'visa', size: 9 },
  { key: 'acquirer', label: 'Acquirer', placeholder: 'acq-north', size: 10 },
  { key: 'mcc', label: 'MCC', placeholder: '5411', size: 4, numeric: true, title: 'Merchant category code, 4 digits (ISO 18245)' },
  { key: 'method', label: 'Method', placeholder: 'card', size: 7 },
  { key: 'attempt', label: 'Attempt', placeholder: '2 or 3+', size: 5, title: 'Which try of the payment: 1, 2, ... or 3+ for the third and later' },
];
const ROW_HEIGHT = 30;

interface ListState {
  rows: EventRow[];
  cursor: EventCursor | null;
  done: boolean;
  loading: boolean;
  partial: boolean;
  error: string | null;
  tookMs: number | null;
}

const EMPTY_LIST: ListState = { rows: [], cursor: null, done: false, loading: false, partial: false, error: null, tookMs: null };

/**
 * `linkedFilter` is the filter the route carries (#/explorer?issuer=..): a link from another view
 * applies it, and applying a filter here puts it in the route, so Back returns to the view (or
 * the filter) before.
 */
export function EventsTab({ onExport, openPayment, linkedFilter }: { onExport: (filter: EventFilter) => void; openPayment: string | null; linkedFilter: EventFilter }) {
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const [form, setForm] = useState<FilterForm>(() => formOfFilter(linkedFilter));
  const [applied, setApplied] = useState<{ filter: EventFilter; order: 'asc' | 'desc'; gen: number }>(() => ({ filter: linkedFilter, order: 'desc', gen: 0 }));
  const [problem, setProblem] = useState<string | null>(null);
  const [list, setList] = useState<ListState>(EMPTY_LIST);
  const [selected, setSelected] = useState<EventRow | null>(null);
  const [timelineFor, setTimelineFor] = useState<string | null>(openPayment);
  const generation = useRef(0);
  const busy = useRef(false);
  const listRef = useRef(list);
  listRef.current = list;

  const loadMore = useCallback(
    async (reset: boolean) => {
      const cur = listRef.current;
      // `busy` is set synchronously: two effects in one render must not fetch the same page.
      if (!reset && (busy.current || cur.done)) return;
      const gen = applied.gen;
      generation.current = gen;
      busy.current = true;
      setList((l) => ({ ...(reset ? EMPTY_LIST : l), loading: true }));
      try {
        const page = await explorerCall('events.query', {
          filter: applied.filter,
          order: applied.order,
          limit: PAGE,
          cursor: reset ? null : cur.cursor,
        });
        if (generation.current !== gen) return;
        setList((l) => ({
          rows: reset ? page.rows : [...l.rows, ...page.rows],
          cursor: page.nextCursor,
          done: page.nextCursor === null,
          loading: false,
          partial: page.partial,
          error: null,
          tookMs: page.tookMs,
        }));
      } catch (err) {
        if (generation.current !== gen) return;
        setList((l) => ({ ...l, loading: false, error: errorText(err) }));
      } finally {
        if (generation.current === gen) busy.current = false;
      }
    },
    [applied],
  );

  useEffect(() => {
    void loadMore(true);
  }, [loadMore]);

  const linkedKey = filterKey(linkedFilter);
  const appliedKey = filterKey(applied.filter);
  useEffect(() => {
    // The route changed under us (a link, Back): show and apply its filter. Applying here
    // writes the route first, so its own change finds the filter already applied.
    if (linkedKey === appliedKey) return;
    setForm(formOfFilter(linkedFilter, applied.order));
    setSelected(null);
    setApplied((a) => ({ filter: linkedFilter, order: a.order, gen: a.gen + 1 }));
    // Only a change of the route's filter (its key; the object is new every render).
  }, [linkedKey]);

  const apply = (filter: EventFilter, order: 'asc' | 'desc') => {
    setProblem(null);
    setSelected(null);
    setApplied((a) => ({ filter, order, gen: a.gen + 1 }));
    const hash = explorerHash(filter);
    if (window.location.hash !== hash) window.location.hash = hash;
  };
  const removeChip = (chip: FilterChip) => {
    setForm((f) => ({ ...f, ...chip.form }));
    apply(withoutChip(applied.filter, chip), applied.order);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const r = toEventFilter(form, clock ?? Date.now());
    if ('problem' in r) {
      setProblem(`${r.problem.field}: ${r.problem.message}`);
      return;
    }
    apply(r.filter, form.order);
  };
  const update = (patch: Partial<FilterForm>) => setForm((f) => ({ ...f, ...patch }));

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.rows.length + (list.done ? 0 : 1),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    // Near the end of what is loaded: fetch the next page (a partial page keeps scanning).
    if (!list.done && !list.loading && !list.error && lastIndex >= list.rows.length - 40) void loadMore(false);
  }, [lastIndex, list.done, list.loading, list.error, list.rows.length, loadMore]);

  return (
    <div className="explorer-events">
      <form className="panel explorer-filters" role="search" aria-label="Event filters" onSubmit={submit} data-testid="explorer-filters">
        <div className="explorer-filter-grid">
          <label>
            Time
            <select aria-label="Time range" value={form.range} onChange={(e) => update({ range: e.target.value as FilterForm['range'] })}>
              {RANGE_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          {form.range === 'custom' ? (
            <>
              <label>
                From
                <input type="datetime-local" step="1" aria-label="From" title={localTimeHint()} value={form.from} onChange={(e) => update({ from: e.target.value })} />
              </label>
              <label>
                To
                <input type="datetime-local" step="1" aria-label="To" title={localTimeHint()} value={form.to} onChange={(e) => update({ to: e.target.value })} />
              </label>
            </>
          ) : null}
          <label className="explorer-types">
            Types
            <select multiple aria-label="Event types" value={form.types} size={3} onChange={(e) => update({ types: [...e.target.selectedOptions].map((o) => o.value) })}>
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label>
            Merchant
            <input aria-label="Merchant" value={form.merchantId} onChange={(e) => update({ merchantId: e.target.value })} placeholder="m_1042" />
          </label>
          <label>
            Country
            <input aria-label="Country" value={form.country} onChange={(e) => update({ country: e.target.value })} placeholder="DE" size={4} />
          </label>
          <label>
            Decline code
            <input aria-label="Decline code" value={form.declineCode} onChange={(e) => update({ declineCode: e.target.value })} placeholder="51" size={5} />
          </label>
          <label>
            Risk decision
            <select aria-label="Risk decision" value={form.decision} onChange={(e) => update({ decision: e.target.value as FilterForm['decision'] })}>
              <option value="">Any</option>
              <option value="approve">approve</option>
              <option value="review">review</option>
              <option value="block">block</option>
            </select>
          </label>
          <label>
            Currency
            <input
              aria-label="Currency"
              list="explorer-currencies"
              value={form.currency}
              onChange={(e) => update({ currency: e.target.value })}
              placeholder="EUR"
              size={4}
              maxLength={3}
              title="ISO 4217 code: only events in this currency; amounts below are in it"
              data-testid="filter-currency"
            />
            <datalist id="explorer-currencies">
              {COMMON_CURRENCIES.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <label>
            Amount from
            <input
              aria-label={`Minimum amount (${amountUnit(form.currency)})`}
              inputMode="decimal"
              value={form.amountMin}
              onChange={(e) => update({ amountMin: e.target.value })}
              placeholder={amountPlaceholder(form.currency)}
              size={9}
              data-testid="filter-amount-min"
            />
          </label>
          <label>
            to
            <input
              aria-label={`Maximum amount (${amountUnit(form.currency)})`}
              inputMode="decimal"
              value={form.amountMax}
              onChange={(e) => update({ amountMax: e.target.value })}
              placeholder={amountPlaceholder(form.currency)}
              size={9}
              data-testid="filter-amount-max"
            />
          </label>
          {DIMENSION_INPUTS.map((d) => (
            <label key={d.key}>
              {d.label}
              <input
                aria-label={d.label}
                inputMode={d.numeric ? 'numeric' : undefined}
                value={form[d.key]}
                onChange={(e) => update({ [d.key]: e.target.value })}
                placeholder={d.placeholder}
                size={d.size}
                title={d.title}
              />
            </label>
          ))}
          <label>
            3-D Secure
            <select aria-label="3-D Secure" value={form.threeDS} onChange={(e) => update({ threeDS: e.target.value as FilterForm['threeDS'] })}>
              <option value="">Any</option>
              {THREE_DS_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <label className="explorer-search">
            Payment or event id
            <input type="search" aria-label="Payment or event id" value={form.search} onChange={(e) => update({ search: e.target.value })} placeholder="pay_01HZX3" />
          </label>
          <label>
            Order
            <select aria-label="Order" value={form.order} onChange={(e) => update({ order: e.target.value as 'asc' | 'desc' })}>
              <option value="desc">Newest first</option>
              <option value="asc">Oldest first</option>
            </select>
          </label>
        </div>
        <div className="explorer-filter-actions">
          <button type="submit" className="btn btn-primary btn-small">
            Apply filters
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setForm(EMPTY_FORM);
              apply({}, 'desc');
            }}
          >
            Clear
          </button>
          <button type="button" className="btn btn-small" onClick={() => setApplied((a) => ({ ...a, gen: a.gen + 1 }))}>
            Refresh
          </button>
          <button type="button" className="btn btn-small" onClick={() => onExport(applied.filter)} data-testid="explorer-export">
            Export report…
          </button>
          <span className="muted small" role="status" aria-live="polite" data-testid="explorer-status">
            {list.error
              ? ''
              : `${fmtCount(list.rows.length)}${list.done ? '' : '+'} events${list.loading ? ' · loading…' : ''}${list.partial && !list.done ? ' · still scanning' : ''}${list.tookMs !== null ? ` · ${list.tookMs} ms` : ''}`}
          </span>
        </div>
        <FilterChips chips={filterChips(applied.filter, fmtDateTimeZone)} onRemove={removeChip} />
        {problem ? (
          <div className="error-text small" role="alert">
            {problem}
          </div>
        ) : null}
        {list.error ? (
          <div className="error-text small" role="alert">
            Query failed: {list.error}
          </div>
        ) : null}
      </form>

      <div className="explorer-split">
        <section className="panel explorer-table-panel" aria-label="Events">
          {/* Outside the scrolling grid so it stays put; the grid owns it (aria-owns) for assistive tech. */}
          <EventsTableHead rows={list.rows} />
          <div
            ref={scrollRef}
            className="explorer-scroll"
            role="grid"
            aria-owns="explorer-events-head"
            aria-label="Events table"
            aria-rowcount={list.done ? list.rows.length + 1 : -1}
            data-testid="explorer-table"
          >
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const row = list.rows[v.index];
                if (!row) {
                  return (
                    <div key="loader" className="explorer-row explorer-loader muted small" style={{ transform: `translateY(${v.start}px)` }} role="row">
                      <span role="gridcell">{list.loading ? 'Loading…' : list.partial ? 'Scanning older events…' : ''}</span>
                    </div>
                  );
                }
                const isSel = selected?.seq === row.seq;
                return (
                  <div
                    key={row.seq}
                    role="row"
                    aria-rowindex={v.index + 2}
                    aria-selected={isSel}
                    tabIndex={0}
                    className={`explorer-row${isSel ? ' selected' : ''} cat-${row.category}`}
                    style={{ transform: `translateY(${v.start}px)` }}
                    onClick={() => setSelected(row)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        setSelected(row);
                      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                        e.preventDefault();
                        moveRowFocus(scrollRef.current, virtualizer, v.index, e.key === 'ArrowDown' ? 1 : -1, list.rows.length, (i) => setSelected(list.rows[i]));
                      }
                    }}
                    data-testid="explorer-row"
                    data-type={row.type}
                    data-payment={row.paymentId ?? ''}
                    data-issuer={row.issuer ?? ''}
                    data-bin={row.cardBin ?? ''}
                  >
                    <EventRowCells row={row} />
                  </div>
                );
              })}
            </div>
            {list.done && list.rows.length === 0 && !list.loading ? (
              <div className="empty" data-testid="explorer-empty">
                No events match these filters.
              </div>
            ) : null}
          </div>
        </section>
        <aside className="explorer-side">
          {selected ? <EventDetailPanel row={selected} onTimeline={(p) => setTimelineFor(p)} onClose={() => setSelected(null)} /> : null}
          {timelineFor ? <TimelinePanel paymentId={timelineFor} onClose={() => setTimelineFor(null)} onSelect={setSelected} /> : null}
          {!selected && !timelineFor ? <div className="panel empty small">Select an event to see it whole.</div> : null}
        </aside>
      </div>
    </div>
  );
}

/** The applied conditions, each removable on its own (the form keeps the rest); a value from the events or a link drawn as the tables draw it. */
export function FilterChips({ chips, onRemove }: { chips: FilterChip[]; onRemove: (chip: FilterChip) => void }) {
  if (chips.length === 0) return null;
  return (
    <ul className="explorer-chips" aria-label="Applied filters" data-testid="explorer-chips">
      {chips.map((c) => (
        <li key={c.id} className="chip explorer-chip" data-testid="explorer-chip" data-chip={c.id}>
          {c.name}
          {c.values.map((v, i) => (
            <span key={i}>
              {i ? ', ' : ' '}
              <UntrustedText text={v} />
            </span>
          ))}
          <button type="button" className="explorer-chip-remove" aria-label={`Remove filter ${c.label}`} onClick={() => onRemove(c)} data-testid="explorer-chip-remove">
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The events grid's heading row; its Time names the zone the rows' times are in (the cells leave it out). */
export function EventsTableHead({ rows }: { rows: readonly EventRow[] }) {
  const zone = useMemo(() => fmtZoneSpan(rows.map((r) => r.timeMs), Date.now()), [rows]);
  return (
    <div className="explorer-row explorer-head" role="row" aria-rowindex={1} id="explorer-events-head">
      <span role="columnheader" title="Local time; each row's title gives its zone and the UTC instant">
        Time ({zone})
      </span>
      <span role="columnheader">Type</span>
      <span role="columnheader">Payment</span>
      <span role="columnheader">Merchant</span>
      <span role="columnheader" className="num">
        Amount
      </span>
      <span role="columnheader">Country</span>
      <span role="columnheader">Decline / risk</span>
      <span role="columnheader">Issuer / BIN</span>
    </div>
  );
}

const JSON_TABS = [
  { id: 'pretty', label: 'Pretty' },
  { id: 'raw', label: 'Raw JSON' },
] as const;
type JsonMode = (typeof JSON_TABS)[number]['id'];

export function EventDetailPanel({ row, onTimeline, onClose }: { row: EventRow; onTimeline: (paymentId: string) => void; onClose: () => void }) {
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<JsonMode>('pretty');
  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    explorerCall('events.get', { seq: row.seq })
      .then((r) => live && (r.event ? setDetail(r.event) : setError('this event is no longer stored')))
      .catch((err) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [row.seq]);
  return (
    <section className="panel explorer-detail" aria-label="Event detail" data-testid="event-detail">
      <div className="explorer-panel-head">
        <h2>
          <UntrustedText text={row.type} />
        </h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close event detail">
          ✕
        </button>
      </div>
      <dl className="kv small">
        <dt>Event time</dt>
        <dd className="mono" title={new Date(row.timeMs).toISOString()}>
          {fmtDateTimeMsZone(row.timeMs)}
        </dd>
        <dt>Arrived</dt>
        <dd className="mono" title={new Date(row.arrivalMs).toISOString()}>
          {fmtDateTimeMsZone(row.arrivalMs)}
        </dd>
        <dt>Source / id</dt>
        <dd className="mono ellipsis">
          <UntrustedText text={row.source} /> / <UntrustedText text={row.id} />
        </dd>
        {row.routingKey ? (
          <>
            <dt>Routing key</dt>
            <dd className="mono">
              <UntrustedText text={row.routingKey} />
            </dd>
          </>
        ) : null}
      </dl>
      {row.paymentId ? (
        <button type="button" className="btn btn-small" onClick={() => onTimeline(row.paymentId!)} data-testid="open-timeline">
          Payment timeline (<UntrustedText text={row.paymentId} />)
        </button>
      ) : null}
      <TabList label="JSON view" className="explorer-json-tabs" idPrefix="event-json" tabs={JSON_TABS} selected={mode} onSelect={setMode} />
      {error ? (
        <div className="error-text small" role="alert">
          {error}
        </div>
      ) : detail ? (
        <pre className="explorer-json mono" role="tabpanel" id="event-json-tabpanel" aria-label={mode === 'pretty' ? 'Pretty JSON' : 'Raw JSON'} data-testid={`event-json-${mode}`}>
          {mode === 'pretty' ? prettyJson(detail.json) : withFormatCharactersShown(detail.json)}
        </pre>
      ) : (
        <div className="empty small">Loading…</div>
      )}
    </section>
  );
}

export function TimelinePanel({ paymentId, onClose, onSelect }: { paymentId: string; onClose: () => void; onSelect: (row: EventRow) => void }) {
  const [state, dispatch] = useReducer(requestStep<PaymentTimeline>, REQUEST_IDLE);
  const requests = useRef(0);
  useEffect(() => {
    const request = ++requests.current;
    dispatch({ kind: 'started', request });
    explorerCall('events.timeline', { paymentId })
      .then((data) => dispatch({ kind: 'answered', request, data }))
      .catch((err) => dispatch({ kind: 'failed', request, message: errorText(err) }));
  }, [paymentId]);
  return (
    <section className="panel explorer-timeline" aria-label={`Payment timeline ${withFormatCharactersShown(paymentId)}`} data-testid="payment-timeline">
      <div className="explorer-panel-head">
        <h2>
          Timeline{' '}
          <span className="mono id-text" data-testid="timeline-payment-id">
            <UntrustedText text={paymentId} />
          </span>
        </h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close payment timeline">
          ✕
        </button>
      </div>
      <TimelineBody state={state} onSelect={onSelect} />
    </section>
  );
}

/**
 * The timeline of the payment last opened: loading, why it could not be read, or its steps. An
 * error is about the payment it was asked for: opening another clears it.
 */
export function TimelineBody({ state, onSelect }: { state: RequestState<PaymentTimeline>; onSelect: (row: EventRow) => void }) {
  const { data: timeline, error } = state;
  if (error) {
    return (
      <div className="error-text small" role="alert">
        {error}
      </div>
    );
  }
  if (!timeline) return <div className="empty small">Loading…</div>;
  if (timeline.steps.length === 0) return <div className="empty small">No stored events for this payment.</div>;
  return (
    <>
      <p className="muted small">
        {countText(timeline.steps.length, 'event')} over {fmtDelta(timeline.durationMs).replace('+', '')}
        {timeline.truncated ? ' (first 1,000 shown)' : ''}
      </p>
      <TimelineSteps steps={timeline.steps} onSelect={onSelect} />
    </>
  );
}

/**
 * An event's cells in the events table. The values from the events (its type, payment and
 * merchant ids, issuer, BIN, decline code) are each isolated with their undrawn characters shown: an issuer
 * in Hebrew or Arabic took the BIN after it into its run ("529412 / בנק" read BIN first), and a
 * zero-width space made one id read as another.
 */
export function EventRowCells({ row }: { row: EventRow }) {
  const optional = (v: string | null | undefined) => (v ? <UntrustedText text={v} /> : null);
  return (
    <>
      <span role="gridcell" className="mono nowrap" title={fmtInstantTitle(row.timeMs)}>
        {fmtDateTime(row.timeMs)}
      </span>
      <span role="gridcell" className="nowrap">
        <UntrustedText text={row.type} />
      </span>
      <span role="gridcell" className="mono ellipsis">
        {optional(row.paymentId)}
      </span>
      <span role="gridcell" className="mono ellipsis">
        {optional(row.merchantId)}
      </span>
      <span role="gridcell" className="num mono nowrap">
        {fmtAmount(row.amount, row.currency)}
      </span>
      <span role="gridcell">{row.country ?? ''}</span>
      <span role="gridcell" className="nowrap ellipsis" title={row.declineCode ? sentencePlainText(declineTitle(row.declineCode), [row.declineCode]) : undefined}>
        {row.declineCode ? <Sentence text={describeDeclineCode(row.declineCode)} values={[row.declineCode]} /> : row.decision ? `${row.decision} (${row.score ?? '—'})` : ''}
      </span>
      <span role="gridcell" className="mono ellipsis">
        {optional(row.issuer)}
        {row.issuer && row.cardBin ? ' / ' : null}
        {optional(row.cardBin)}
      </span>
    </>
  );
}

/** A payment's events, oldest first, with the time since the one before. */
export function TimelineSteps({ steps, onSelect }: { steps: PaymentTimeline['steps']; onSelect: (row: EventRow) => void }) {
  return (
    <ol className="explorer-steps">
      {steps.map((s) => (
        <li key={s.seq} className={`cat-${s.category}`} data-testid="timeline-step" data-type={s.type}>
          <button type="button" className="explorer-step" onClick={() => onSelect(s)}>
            <span className="explorer-step-delta mono">{fmtDelta(s.sincePreviousMs)}</span>
            <UntrustedText className="explorer-step-type" text={s.type} />
            <span className="muted small mono" title={new Date(s.timeMs).toISOString()}>
              {fmtClockMsZone(s.timeMs)}
            </span>
            <span className="small">
              {s.amount !== null ? fmtAmount(s.amount, s.currency) : ''}
              {s.declineCode ? (
                <span title={sentencePlainText(declineTitle(s.declineCode), [s.declineCode])} data-testid="timeline-decline">
                  {' · '}
                  <Sentence text={describeDeclineCode(s.declineCode)} values={[s.declineCode]} />
                </span>
              ) : null}
              {s.decision ? ` · ${s.decision} (${s.score ?? '—'})` : ''}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/**
 * Arrow keys in the events table: focus (and select) the row `step` away, scrolling it into
 * the virtual window first when it is not rendered yet.
 */
function moveRowFocus(
  grid: HTMLElement | null,
  virtualizer: { scrollToIndex(index: number, options?: { align?: 'auto' }): void },
  index: number,
  step: number,
  count: number,
  select: (index: number) => void,
): void {
  const next = index + step;
  if (!grid || next < 0 || next >= count) return;
  select(next);
  const focusRow = () => grid.querySelector<HTMLElement>(`[data-testid="explorer-row"][aria-rowindex="${next + 2}"]`);
  const row = focusRow();
  if (row) {
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
    return;
  }
  virtualizer.scrollToIndex(next, { align: 'auto' });
  requestAnimationFrame(() => focusRow()?.focus());
}
