// Triage (issue 13): "where, and why". The explanation of a window (from an alert's Explain,
// or picked here): the headline sentence, contributors with before/after bars, the decline
// codes that grew; and the segment health board. Both read the segment rollups through the
// contract (triage.explain, triage.health).
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { DeclineCodeGrowth, Explanation, HealthBoard, TriageMetric } from '../../../shared/triage';
import { TRIAGE_METRICS } from '../../../shared/triage';
import { getClient } from '../api/client';
import { UntrustedText } from '../components/UntrustedText';
import { DASH, fmtCount, fmtCountText, fmtDateTimeZone, fmtRange } from '../lib/format';
import { useApp } from '../store/appStore';
import { contributorPaymentsHash, EXPLAIN_IDLE, explainStep, HEALTH_ROWS_SHOWN, healthRowsShown, segmentPaymentsHash, triageHash, triageRouteOf, type ExplainState } from './triageModel';
import { Sentence } from '../components/Sentence';
import type { SentenceValue } from '../lib/sentenceParts';

const MINUTE = 60_000;

/** The contract's ISO instants as the console writes times: local, with the zone named. */
const rangeOf = (r: { from: string; to: string }) => fmtRange(Date.parse(r.from), Date.parse(r.to));

function subscribeHash(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

const pct = (v: number | null) => (v === null ? DASH : `${(Math.round(v * 1000) / 10).toFixed(1)} %`);
/** A period's rate with the attempts it is of: 0 % of 3 attempts does not read as 0 % of thousands. */
const side = (p: { attempts: number; value: number | null }) => (p.attempts > 0 && p.value !== null ? `${pct(p.value)} of ${fmtCount(p.attempts)}` : 'no attempts');
const pts = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`;

/** A metric as the picker names it: explain's rates are per attempt (issue 13: every rate says which it is). */
const METRIC_TEXT: Record<TriageMetric, string> = {
  'approval-rate': 'approval rate per attempt',
  'decline-rate': 'decline rate per attempt',
  'failure-rate': 'failure rate per attempt',
};

function Bars({ before, after }: { before: number | null; after: number | null }) {
  return (
    <div className="triage-bars" aria-hidden="true">
      <div className="triage-bar triage-bar-before" style={{ width: `${Math.round((before ?? 0) * 100)}%` }} title={`baseline ${pct(before)} per attempt`} />
      <div className="triage-bar triage-bar-after" style={{ width: `${Math.round((after ?? 0) * 100)}%` }} title={`window ${pct(after)} per attempt`} />
    </div>
  );
}

/** One click into the explorer filtered to a segment over the window; Back returns here. */
function PaymentsLink({ hash, testId }: { hash: string | null; testId: string }) {
  if (!hash) return <span className="muted small" title="The folded tail and events without the field have no filter">-</span>;
  return (
    <a className="btn btn-small" href={hash} data-testid={testId} title="Open these payments in the explorer, over this window">
      Payments
    </a>
  );
}

function ExplainPanel({ from, to, metric }: { from: number; to: number; metric: TriageMetric }) {
  const [state, dispatch] = useReducer(explainStep, EXPLAIN_IDLE);
  const requests = useRef(0);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const request = ++requests.current;
    dispatch({ kind: 'started', request, metric });
    getClient()
      .invoke('triage.explain', { from, to, metric })
      .then((explanation) => dispatch({ kind: 'answered', request, explanation }))
      .catch((err: unknown) => dispatch({ kind: 'failed', request, message: err instanceof Error ? err.message : String(err) }));
  }, [from, to, metric, attempt]);
  return <ExplainView state={state} onRetry={() => setAttempt((n) => n + 1)} />;
}

/** The values a headline is written around: the segments it names (a contributor, its twin) and their decline code ("code 91 issuer unavailable"). */
const headlineValues = (e: Explanation): SentenceValue[] => e.contributors.filter((c) => c.significant).flatMap((c) => [c.value, ...c.topCodes.map((code) => ({ value: code, after: 'code ' }))]);

/** The explanation, or that it is on its way, or why it could not be made. */
export function ExplainView({ state, onRetry }: { state: ExplainState; onRetry?: () => void }) {
  const { explanation: e, error } = state;
  if (error) {
    return (
      <div className="error" role="alert" data-testid="triage-error">
        Could not explain {state.metric}: {error.replace(/\.+$/, '')}.{' '}
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (!e) return <div className="muted">Explaining…</div>;
  return (
    <section data-testid="triage-explanation">
      <p className="triage-headline" data-testid="triage-headline">
        <Sentence text={e.headline} values={headlineValues(e)} />
      </p>
      <p className="muted small" data-testid="triage-periods">
        Window {rangeOf(e.window)} ({fmtCount(e.window.attempts)} attempts) against {rangeOf(e.baseline)} ({fmtCount(e.baseline.attempts)} attempts). Rates
        are per attempt.
      </p>
      <ContributorsTable e={e} />
      <CodesGrown codes={e.declineCodes} />
    </section>
  );
}

/** The significant contributors, largest first (at most 10), each with its rate before and after. */
export function ContributorsTable({ e }: { e: Explanation }) {
  const shown = e.contributors.filter((c) => c.significant).slice(0, 10);
  if (!shown.length) return null;
  return (
    <table className="table" data-testid="triage-contributors">
      <caption className="sr-only">Segments that moved {e.metric} (per attempt), largest part first</caption>
      <thead>
        <tr>
          <th scope="col">Segment</th>
          <th scope="col">Before / after, per attempt</th>
          <th scope="col" className="num">Contribution</th>
          <th scope="col">Effect</th>
          <th scope="col">Codes</th>
          <th scope="col">
            <span className="sr-only">Payments</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((c) => (
          <tr key={`${c.dimension}=${c.value}`} data-testid="triage-contributor" data-dimension={c.dimension} data-value={c.value}>
            <td className="mono">
              {c.dimension} <UntrustedText text={c.value} />
              {c.health ? (
                // The board's own verdict on this segment for the same window and baseline: the
                // reason explain names it even when the whole did not move significantly.
                <div className="small" data-testid="triage-contributor-health" data-state={c.health.state}>
                  <span className={`badge state-badge health-${c.health.state}`}>{c.health.state}</span>{' '}
                  <Sentence text={c.health.reason} values={[c.value]} />
                </div>
              ) : null}
            </td>
            <td>
              <Bars before={c.baseline.value} after={c.window.value} />
              <span className="small">
                {side(c.baseline)} → {side(c.window)}
              </span>
            </td>
            <td className="num mono">{pts(c.contribution)}</td>
            <td>{c.effect}</td>
            <td className="mono">{c.topCodes.join(', ')}</td>
            <td>
              <PaymentsLink hash={contributorPaymentsHash(e, c)} testId="triage-open-explorer" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The decline codes that grew. The baseline is longer than the window (four windows by
 * default), so its count alone does not compare with the window's: each side gives its share
 * of its own attempts, the count beside it.
 */
export function CodesGrown({ codes }: { codes: DeclineCodeGrowth[] }) {
  const grown = codes.filter((c) => c.significant);
  if (!grown.length) return null;
  return (
    <ul data-testid="triage-codes">
      {grown.map((c) => (
        <li key={c.code}>
          <UntrustedText className="mono" text={c.code} /> {c.meaning} ({c.kind}): {pct(c.window.perAttempt)} of attempts ({fmtCount(c.window.count)}) vs{' '}
          {pct(c.baseline.perAttempt)} ({fmtCount(c.baseline.count)}) in the baseline
        </li>
      ))}
    </ul>
  );
}

const HEALTH_BASIS_TEXT: Record<HealthBoard['basis'], string> = {
  'per payment': 'approval per payment (retries of one payment counted once), failures per attempt',
  'per attempt': 'approval and failures per attempt',
  mixed: 'approval per payment, per attempt where minutes stored before payments were counted (each reason says which), failures per attempt',
};

/** What the volume floor counts: what approval is judged on. */
const FLOOR_UNIT: Record<HealthBoard['basis'], string> = {
  'per payment': 'payments',
  'per attempt': 'attempts',
  mixed: 'payments (attempts where judged per attempt)',
};

const HEALTH_REFRESH_MS = 10_000;

function HealthPanel() {
  const [board, setBoard] = useState<HealthBoard | null>(null);
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      getClient()
        .invoke('triage.health', {})
        .then((b) => live && (setBoard(b), setRefreshedAt(Date.now()), setError(null)))
        .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    load();
    const t = setInterval(load, HEALTH_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  return <HealthPanelView board={board} error={error} refreshedAt={refreshedAt} />;
}

/**
 * The board, loading, or why it could not be read. A refresh that fails keeps the board last
 * read (a moment of a lost connection or a busy database must not blank what the operator is
 * looking at), saying since when it is not refreshed and why.
 */
export function HealthPanelView({ board, error, refreshedAt }: { board: HealthBoard | null; error: string | null; refreshedAt: number | null }) {
  const again = `Trying again every ${HEALTH_REFRESH_MS / 1000} s.`;
  const why = error?.replace(/\.+$/, '');
  if (!board) {
    if (error) return <div className="error" role="alert" data-testid="health-error">{`The health board could not be read: ${why}. ${again}`}</div>;
    return <div className="muted">Loading the health board…</div>;
  }
  return (
    <>
      {error ? (
        <div className="error" role="alert" data-testid="health-stale">
          {`Not refreshed since ${fmtDateTimeZone(refreshedAt)}: ${why}. ${again}`}
        </div>
      ) : null}
      <HealthTable board={board} />
    </>
  );
}

/** The health board's rows, worst first; past HEALTH_ROWS_SHOWN, found by what the operator types. */
export function HealthTable({ board }: { board: HealthBoard }) {
  const [query, setQuery] = useState('');
  const judged = board.segments.filter((s) => s.judged);
  const { rows, matched } = healthRowsShown(judged, query);
  return (
    <section data-testid="health-board">
      <p className="muted small">
        {rangeOf(board)}, each segment against its own previous hour; judged from {fmtCount(board.volumeFloor)} {FLOOR_UNIT[board.basis]}; {HEALTH_BASIS_TEXT[board.basis]}.
      </p>
      {judged.length > HEALTH_ROWS_SHOWN || query ? (
        <div className="toolbar">
          <label>
            <span>Find a segment</span>
            <input type="search" value={query} onChange={(ev) => setQuery(ev.target.value)} placeholder="m_1042, 529412, issuer" data-testid="health-find" />
          </label>
          <span className="muted small" data-testid="health-shown">
            {query
              ? `${fmtCount(rows.length)} of ${fmtCountText(matched, 'matching segment')}${matched > rows.length ? ', worst first: narrow the search for the rest' : ''}`
              : `${fmtCount(rows.length)} of ${fmtCount(judged.length)} judged segments, worst first: search for the rest`}
          </span>
        </div>
      ) : null}
      <table className="table">
        <caption className="sr-only">Segment health, worst first</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Segment</th>
            <th scope="col">Reason</th>
            <th scope="col">
              <span className="sr-only">Payments</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {judged.length === 0 ? (
            <tr data-testid="health-empty">
              <td colSpan={4} className="muted">
                No segment judged yet: {board.segments.length === 0 ? 'no attempts in this window' : `${fmtCountText(board.segments.length, 'segment')} below ${fmtCount(board.volumeFloor)} ${FLOOR_UNIT[board.basis]} here or in their previous hour`}.
              </td>
            </tr>
          ) : null}
          {judged.length > 0 && matched === 0 ? (
            <tr data-testid="health-no-match">
              <td colSpan={4} className="muted">
                No judged segment matches “{query.trim()}”.
              </td>
            </tr>
          ) : null}
          {rows.map((s) => (
            <tr key={`${s.dimension}=${s.value}`} data-testid="health-row" data-state={s.state}>
              <td>
                <span className={`badge state-badge health-${s.state}`}>{s.state}</span>
              </td>
              <td className="mono">
                {s.dimension} <UntrustedText text={s.value} />
              </td>
              <td>
                <Sentence text={s.reason} values={[s.value]} />
              </td>
              <td>
                <PaymentsLink hash={segmentPaymentsHash(board, [s])} testId="health-open-explorer" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Triage() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash, () => '');
  const route = triageRouteOf(hash);
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const now = clock ?? Date.now();
  const to = route.to ?? now;
  const from = route.from ?? to - 15 * MINUTE;
  const [frozen] = useState(() => ({ from, to }));
  const window_ = route.from !== null && route.to !== null ? { from, to } : frozen;
  return (
    <div className="view triage-view" data-testid="triage-view">
      <h2>Explain</h2>
      <div className="toolbar">
        <label>
          <span>Metric</span>
          <select value={route.metric} onChange={(ev) => (window.location.hash = triageHash(window_.from, window_.to, ev.target.value as TriageMetric))}>
            {TRIAGE_METRICS.map((m) => (
              <option key={m} value={m}>
                {METRIC_TEXT[m]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => (window.location.hash = triageHash(now - 15 * MINUTE, now, route.metric))}>
          Last 15 minutes
        </button>
      </div>
      <ExplainPanel from={window_.from} to={window_.to} metric={route.metric} />
      <h2>Segment health</h2>
      <HealthPanel />
    </div>
  );
}
