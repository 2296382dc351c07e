// Operator actions on an alert: acknowledge (with a note), a resolve note, and a silence
// by label matchers for a duration. Silenced alerts keep evaluating; they only stop
// notifying. The same silence form creates silences from the Silences tab.
import { useId, useState, type ReactNode } from 'react';
import type { AlertSilence, AlertView, SilenceMatcher } from '../../../shared/alerts';
import { silenceMatchersProblem } from '../../../shared/labelMatchers';
import { getClient } from '../api/client';
import type { AlertAction } from '../components/AlertList';
import { message, Modal } from '../components/Modal';
import { MatcherList } from '../components/UntrustedText';
import { fmtDateTimeZone } from '../lib/format';
import { SILENCE_DURATIONS, silenceMatchersFor } from '../store/alerts';
import { silenceMatches } from './silenceMatch';
import { alertSentenceValues, Sentence } from '../components/Sentence';

const OPERATOR_KEY = 'payops.operator';

export function rememberedOperator(): string {
  try {
    return localStorage.getItem(OPERATOR_KEY) || 'operator';
  } catch {
    return 'operator';
  }
}

function rememberOperator(name: string): void {
  try {
    localStorage.setItem(OPERATOR_KEY, name);
  } catch {
    // storage disabled: the name lasts for this dialog only
  }
}

export type ActionTarget = Pick<AlertView, 'key' | 'rule' | 'labels' | 'severity' | 'summary'>;

export function AlertActionDialog({ action, alert, onClose, onDone }: { action: AlertAction; alert: ActionTarget; onClose: () => void; onDone: (line: ReactNode) => void }) {
  if (action === 'silence') {
    return (
      <Modal title={`Silence ${alert.rule}`} onClose={onClose} testId="silence-dialog">
        <SilenceForm initial={silenceMatchersFor(alert)} preview={[alert]} onCancel={onClose} onDone={onDone} />
      </Modal>
    );
  }
  return <NoteDialog action={action} alert={alert} onClose={onClose} onDone={onDone} />;
}

function NoteDialog({ action, alert, onClose, onDone }: { action: 'ack' | 'note'; alert: ActionTarget; onClose: () => void; onDone: (line: ReactNode) => void }) {
  const [note, setNote] = useState('');
  const [by, setBy] = useState(rememberedOperator);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ack = action === 'ack';
  const noteId = useId();
  const byId = useId();
  const submit = async () => {
    if (!ack && !note.trim()) return setError('Write the note first.');
    setBusy(true);
    setError(null);
    try {
      const who = by.trim() || 'operator';
      rememberOperator(who);
      const res = ack
        ? await getClient().invoke('alerts.ack', { key: alert.key, by: who, note: note.trim() })
        : await getClient().invoke('alerts.resolveNote', { key: alert.key, by: who, note: note.trim() });
      if (!res.ok) throw new Error('the engine no longer knows this alert');
      onDone(ack ? `Acknowledged ${alert.rule}.` : `Note added to ${alert.rule}.`);
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };
  return (
    <Modal title={ack ? `Acknowledge ${alert.rule}` : `Resolve note for ${alert.rule}`} onClose={onClose} testId={ack ? 'ack-dialog' : 'note-dialog'}>
      <form
        className="action-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted small">
          <Sentence text={alert.summary} values={alertSentenceValues(alert)} />
        </p>
        <div className="field">
          <label htmlFor={noteId}>{ack ? 'Note (optional)' : 'How it was resolved'}</label>
          <textarea id={noteId} rows={4} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="action-note" />
        </div>
        <div className="field">
          <label htmlFor={byId}>By</label>
          <input id={byId} value={by} maxLength={100} onChange={(e) => setBy(e.target.value)} autoComplete="off" data-testid="action-by" />
        </div>
        {error ? (
          <div className="error-text small" role="alert">
            {error}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="action-submit">
            {ack ? 'Acknowledge' : 'Add note'}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The line said when a silence is made: its matchers drawn as the silences table draws them
 * (each value isolated, a long one cut, the whole in its title), its end with its zone (the
 * hour a DST fall-back repeats reads alike twice without it).
 */
export function silencedLine(s: Pick<AlertSilence, 'matchers' | 'endsAt'>): ReactNode {
  return (
    <>
      Silenced <MatcherList matchers={s.matchers} /> until {fmtDateTimeZone(s.endsAt)}.
    </>
  );
}

const OPS: SilenceMatcher['op'][] = ['=', '!=', '=~', '!~'];

/** Matchers, a duration and a comment; `preview` lists the alerts the matchers would mute. */
export function SilenceForm({ initial, preview = [], onCancel, onDone }: { initial: SilenceMatcher[]; preview?: ActionTarget[]; onCancel: () => void; onDone: (line: ReactNode) => void }) {
  const [matchers, setMatchers] = useState<SilenceMatcher[]>(initial.length ? initial : [{ label: 'alertname', op: '=', value: '' }]);
  const [durationMs, setDurationMs] = useState(SILENCE_DURATIONS[1].ms);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = silenceMatchersProblem(matchers);
  const muted = preview.filter((a) => silenceMatches(matchers, a));
  const durationId = useId();
  const commentId = useId();
  const set = (i: number, patch: Partial<SilenceMatcher>) => setMatchers((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = async () => {
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      const by = rememberedOperator();
      const s = await getClient().invoke('alerts.silence', { matchers, durationMs, comment: comment.trim(), by });
      onDone(silencedLine(s));
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };
  return (
    <form
      className="action-form"
      data-testid="silence-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="matchers">
        <legend>Alerts whose labels match every line (alertname is the rule; regular expressions match the whole value)</legend>
        {matchers.map((m, i) => (
          <div className="matcher" key={i} data-testid="silence-matcher">
            <input aria-label={`Matcher ${i + 1} label`} value={m.label} maxLength={100} onChange={(e) => set(i, { label: e.target.value })} className="mono" />
            <select aria-label={`Matcher ${i + 1} operator`} value={m.op} onChange={(e) => set(i, { op: e.target.value as SilenceMatcher['op'] })}>
              {OPS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            <input aria-label={`Matcher ${i + 1} value`} value={m.value} maxLength={400} onChange={(e) => set(i, { value: e.target.value })} className="mono" />
            <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove matcher ${i + 1}`} disabled={matchers.length === 1} onClick={() => setMatchers((ms) => ms.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-small" disabled={matchers.length >= 20} onClick={() => setMatchers((ms) => [...ms, { label: '', op: '=', value: '' }])}>
          Add matcher
        </button>
      </fieldset>
      <div className="field">
        <label htmlFor={durationId}>For</label>
        <select id={durationId} value={durationMs} onChange={(e) => setDurationMs(Number(e.target.value))} data-testid="silence-duration">
          {SILENCE_DURATIONS.map((d) => (
            <option key={d.ms} value={d.ms}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={commentId}>Comment</label>
        <input id={commentId} value={comment} maxLength={1000} onChange={(e) => setComment(e.target.value)} data-testid="silence-comment" />
      </div>
      {preview.length ? (
        <p className="muted small" data-testid="silence-preview">
          {muted.length ? `Mutes ${muted.map((a) => a.rule).join(', ')}; it keeps evaluating and shows as silenced.` : 'These matchers do not match this alert.'}
        </p>
      ) : null}
      {problem || error ? (
        <div className="error-text small" role="alert" data-testid="silence-error">
          {error ?? problem}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || problem !== null} data-testid="silence-submit">
          Silence
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
