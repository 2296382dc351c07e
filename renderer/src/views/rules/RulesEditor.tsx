// The rule editor: the session's rules file as text (YAML or JSON), validated as the
// operator types with messages that name the rule, the field and the line; Save writes the
// file and (outside a replay) the engine evaluates the new rules at once; a backtest runs
// the text as it stands over the last hours of stored events before anything is saved.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { formatDuration, METRIC_INFO, type AlertRule } from '../../../../shared/alertRules';
import type { RulesBacktestResult, RulesDocument } from '../../../../shared/alertsApi';
import { issueText, validateRulesText, type RulesTextIssue } from '../../../../shared/rulesText';
import { getClient } from '../../api/client';
import { countText } from '../../../../shared/countText';
import { rateBasisOf } from '../../../../shared/alertValueFormat';
import { fmtCountText, fmtDateTime, fmtInstantTitle, fmtRange, fmtZoneSpan } from '../../lib/format';
import { formatNumber } from '../../../../shared/format';
import { useApp } from '../../store/appStore';
import { backtestRange } from '../../store/alerts';
import { message } from '../../components/Modal';
import { alertSentenceValues, Sentence } from '../../components/Sentence';
import { LabelList } from '../../components/UntrustedText';

function conditionText(r: AlertRule): string {
  const c = r.condition;
  const unit = METRIC_INFO[r.metric].unit;
  const v = (x: number) => (unit === 'ratio' ? `${formatNumber(x * 100, 2)} %` : String(x));
  if (!c) return 'no events';
  if (c.kind === 'above') return `above ${v(c.threshold)}`;
  if (c.kind === 'below') return `below ${v(c.threshold)}`;
  return `${c.direction} baseline by ${c.deviations}σ${c.minDelta ? ` and ${v(c.minDelta)}` : ''} (warm-up ${formatDuration(c.warmupMs)})`;
}

/** Offset of the start of 1-based `line` in `text`. */
function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

const BACKTEST_HOURS = [1, 6, 24, 72];

export function RulesEditor({ onStatus }: { onStatus: (text: string) => void }) {
  const [doc, setDoc] = useState<RulesDocument | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveStatus, setSaveStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [serverIssues, setServerIssues] = useState<RulesTextIssue[] | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  const load = useCallback(async () => {
    try {
      const d = await getClient().invoke('rules.get', {});
      setDoc(d);
      setText(d.text);
      setLoadError(null);
    } catch (err) {
      setLoadError(message(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const format = doc?.format ?? 'yaml';
  const deferred = useDeferredValue(text);
  const validation = useMemo(() => (doc ? validateRulesText(deferred, format) : null), [deferred, format, doc]);
  const issues = serverIssues ?? validation?.issues ?? [];
  const dirty = doc !== null && text !== doc.text;
  const valid = validation?.ok === true && serverIssues === null;

  const jumpTo = (line: number | null) => {
    const el = area.current;
    if (!el || line === null) return;
    const at = offsetOfLine(el.value, line);
    el.focus();
    el.setSelectionRange(at, at);
    // bring the line into view: about one line-height per line
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const save = async () => {
    setSaving(true);
    setSaveStatus(null);
    try {
      const res = await getClient().invoke('rules.save', { text, format });
      if (!res.ok) {
        setServerIssues(res.issues);
        setSaveStatus({ ok: false, text: res.message });
        return;
      }
      setDoc((d) => (d ? { ...d, text, source: 'file', path: res.path, loadError: null } : d));
      // Saved, but part of it (the routing) not applied: said as a problem, not as success.
      setSaveStatus({ ok: !res.reloadError, text: res.message });
      onStatus(res.reloaded ? 'Rules saved and in effect.' : res.reloadError ? 'Rules saved, but their notification routing is not in effect.' : 'Rules saved.');
    } catch (err) {
      setSaveStatus({ ok: false, text: `Save failed: ${message(err)}` });
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    return (
      <section className="panel" aria-label="Rule editor">
        <div className="error-text small" role="alert">
          Cannot load the rules: {loadError}{' '}
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Retry
          </button>
        </div>
      </section>
    );
  }
  if (!doc) return <div className="empty">Loading rules…</div>;

  return (
    <div className="rules-grid">
      <section className="panel" role="region" aria-label="Rule editor" data-testid="rules-editor">
        <header className="panel-head">
          <h2>Rules</h2>
          <span className="muted small mono ellipsis" data-testid="rules-path" title={doc.savePath}>
            {doc.source === 'default' ? `built-in default pack · saves to ${doc.savePath}` : doc.path}
          </span>
          {dirty ? <span className="badge badge-warn">unsaved changes</span> : null}
        </header>
        <div className="rules-editor">
          {doc.loadError ? (
            <div className="result result-error small" role="alert" data-testid="rules-load-error">
              The rules file was not loaded and the default pack runs instead: {doc.loadError}
            </div>
          ) : null}
          <textarea
            ref={area}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setServerIssues(null);
              setSaveStatus(null);
            }}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-label={`Alert rules (${format.toUpperCase()})`}
            aria-invalid={!valid}
            aria-describedby="rules-problems"
            data-testid="rules-text"
            onKeyDown={(e) => {
              // Tab indents (two spaces) instead of leaving the field; Escape then Tab still leaves.
              if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
                e.preventDefault();
                const el = e.currentTarget;
                const { selectionStart: a, selectionEnd: b } = el;
                const next = `${el.value.slice(0, a)}  ${el.value.slice(b)}`;
                setText(next);
                requestAnimationFrame(() => el.setSelectionRange(a + 2, a + 2));
              }
            }}
          />
          <div id="rules-problems" aria-live="polite">
            {issues.length ? (
              <ul className="rules-issues" aria-label="Problems" data-testid="rules-issues">
                {issues.map((i, n) => (
                  <li key={n} data-testid="rules-issue" data-rule={i.rule ?? ''} data-field={i.field} data-line={i.line ?? ''}>
                    <button type="button" onClick={() => jumpTo(i.line)} title={i.line ? `Go to line ${i.line}` : undefined}>
                      {issueText(i)}
                    </button>
                  </li>
                ))}
              </ul>
            ) : validation?.ok ? (
              <span className="rules-valid" data-testid="rules-valid">
                Valid: {fmtCountText(validation.rules.length, 'rule')} ({validation.rules.filter((r) => r.enabled).length} enabled)
              </span>
            ) : null}
          </div>
          {saveStatus ? (
            <div className={`result ${saveStatus.ok ? 'result-ok' : 'result-error'} small`} role="status" data-testid="rules-save-status">
              {saveStatus.text}
            </div>
          ) : null}
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={!valid || !dirty || saving} data-testid="rules-save">
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setText(doc.text);
                setServerIssues(null);
                setSaveStatus(null);
              }}
              disabled={!dirty || saving}
              data-testid="rules-revert"
            >
              Revert
            </button>
            {!doc.liveReload ? <span className="muted small">This is a replay: saved rules apply to the next session.</span> : null}
          </div>
        </div>
      </section>
      <div className="rules-side">
        <RuleSummary rules={validation?.ok ? validation.rules : null} />
        <BacktestPanel text={text} format={format} valid={valid} />
      </div>
    </div>
  );
}

export function RuleSummary({ rules }: { rules: AlertRule[] | null }) {
  return (
    <section className="panel" role="region" aria-label="Rules in this file">
      <header className="panel-head">
        <h2>Rules in this file</h2>
      </header>
      {rules === null ? (
        <p className="muted small">Fix the problems to see the rules.</p>
      ) : (
        <table className="table" data-testid="rules-summary">
          <caption className="sr-only">Rules in this file</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">When</th>
              <th scope="col">Window · for · keep</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.name} data-testid="rules-summary-row" data-rule={r.name} className={r.enabled ? undefined : 'muted'}>
                <td>
                  <span className={`sev sev-${r.severity}`}>{r.severity}</span> {r.name}
                  {r.enabled ? null : <span className="badge badge-muted">disabled</span>}
                </td>
                <td className="small">
                  {r.metric === 'no_data' ? 'no events at all' : `${METRIC_INFO[r.metric].label}${rateBasisOf(r.metric) ? ` ${rateBasisOf(r.metric)}` : ''} ${conditionText(r)}`}
                  {r.groupBy ? ` per ${r.groupBy}` : ''}
                  {r.minVolume ? ` (≥ ${r.minVolume})` : ''}
                </td>
                <td className="small nowrap">
                  {formatDuration(r.windowMs)} · {formatDuration(r.forMs)} · {formatDuration(r.keepFiringForMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BacktestPanel({ text, format, valid }: { text: string; format: 'yaml' | 'json'; valid: boolean }) {
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const [hours, setHours] = useState(1);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RulesBacktestResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const range = backtestRange(hours, clock ?? Date.now());
      const r = await getClient().invoke('rules.backtest', { text, format, ...range });
      setResult(r);
      if (!r.ok) setError(r.issues.map(issueText).join('\n'));
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" role="region" aria-label="Backtest" data-testid="rules-backtest-panel">
      <header className="panel-head">
        <h2>Backtest</h2>
      </header>
      <div className="backtest-form">
        <label className="inline-field">
          Over the last{' '}
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="backtest-hours" aria-label="Backtest hours">
            {BACKTEST_HOURS.map((h) => (
              <option key={h} value={h}>
                {countText(h, 'hour')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={!valid || busy} data-testid="rules-backtest">
          {busy ? 'Running…' : `Backtest last ${countText(hours, 'hour')}`}
        </button>
      </div>
      <p className="muted small backtest-note">Runs the rules as written (saved or not) over stored events; nothing live changes.</p>
      {error ? (
        <div className="error-text small backtest-note" role="alert" data-testid="backtest-error">
          {error}
        </div>
      ) : null}
      {result?.ok ? <BacktestResultView result={result} /> : null}
    </section>
  );
}

/** A backtest's answer: how many events over which window, what would have fired and when. */
export function BacktestResultView({ result }: { result: RulesBacktestResult }) {
  const zone = fmtZoneSpan(
    result.alerts.flatMap((a) => (a.resolvedAt ? [a.firedAt, a.resolvedAt] : [a.firedAt])),
    result.to,
  );
  return (
    <>
      <p className="backtest-summary" role="status" data-testid="backtest-summary" data-fired={result.firedCount}>
        {fmtCountText(result.events, 'event')} from {fmtRange(result.from, result.to)}:{' '}
        {result.firedCount === 0 ? 'nothing would have fired.' : `${fmtCountText(result.firedCount, 'alert')} would have fired.`}{' '}
        <span className="muted">({result.elapsedMs} ms)</span>
      </p>
      {result.truncated ? (
        <p className="backtest-note small" data-testid="backtest-truncated">
          Note: {result.truncated}.
        </p>
      ) : null}
      {result.alerts.length ? (
        <table className="table alerts-table" data-testid="backtest-table">
          <caption className="sr-only">Alerts that would have fired</caption>
          <thead>
            <tr>
              <th scope="col">Fired ({zone})</th>
              <th scope="col">Resolved ({zone})</th>
              <th scope="col">Rule · labels</th>
            </tr>
          </thead>
          <tbody>
            {result.alerts.map((a) => (
              <tr key={a.key} data-testid="backtest-row" data-rule={a.rule}>
                <td className="nowrap" title={fmtInstantTitle(a.firedAt)}>
                  {fmtDateTime(a.firedAt)}
                </td>
                <td className="nowrap" title={fmtInstantTitle(a.resolvedAt)}>
                  {a.resolvedAt ? fmtDateTime(a.resolvedAt) : <span className="badge state-badge state-firing">still firing</span>}
                </td>
                <td>
                  <span className={`sev sev-${a.severity}`}>{a.severity}</span> {a.rule} <span className="mono small">
                    <LabelList labels={a.labels} />
                  </span>
                  <div className="muted small">
                    <Sentence text={a.summary} values={alertSentenceValues(a)} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.firedCount > result.alerts.length ? <p className="backtest-note small">Showing the first {result.alerts.length}.</p> : null}
    </>
  );
}
