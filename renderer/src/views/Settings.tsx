// Broker profiles: list, edit (validated with the shared schema), test, save, connect,
// delete; and demo mode when no broker can be reached. The password field is write-only:
// the API never returns a password, `hasPassword` says whether one is stored.
import { useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { ConnectionTestResult } from '../../../shared/api';
import type { BrokerProfileView } from '../../../shared/profiles';
import { getClient } from '../api/client';
import { DemoStart } from '../components/DemoStart';
import { useApp } from '../store/appStore';
import {
  draftFromProfile,
  draftToProfile,
  emptyDraft,
  EXCHANGE_TYPES,
  makeProfileId,
  QUEUE_TYPES,
  type DraftErrors,
  type DraftField,
  type ProfileDraft,
} from '../lib/profileForm';

type Status = { kind: 'ok' | 'error' | 'info'; text: string } | null;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface FieldProps {
  label: string;
  field: DraftField | 'password';
  errors: DraftErrors;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

function Field({ label, field, errors, hint, children }: FieldProps) {
  const id = useId();
  const error = field === 'password' ? undefined : errors[field];
  const describedBy = [error ? `${id}-err` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} data-testid={`field-${field}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${id}-err`} role="alert" data-testid={`error-${field}`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function Settings() {
  const client = getClient();
  const connState = useApp((s) => s.snapshot?.connection.state ?? null);
  const session = useApp((s) => s.snapshot?.session ?? null);
  const [profiles, setProfiles] = useState<BrokerProfileView[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected] = useState<string | null>(null); // profile id, 'new' or null
  const [draft, setDraft] = useState<ProfileDraft>(emptyDraft);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<DraftErrors>({});
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<null | 'test' | 'save' | 'connect' | 'delete'>(null);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const current = useMemo(() => profiles.find((p) => p.id === selected) ?? null, [profiles, selected]);

  const selectProfile = useCallback((p: BrokerProfileView | null) => {
    setSelected(p ? p.id : 'new');
    setDraft(p ? draftFromProfile(p) : emptyDraft());
    setPassword('');
    setErrors({});
    setDirty(false);
    setTestResult(null);
    setStatus(null);
    setConfirmDelete(false);
  }, []);

  const load = useCallback(
    async () => {
      try {
        const res = await client.invoke('profiles.list', {});
        setProfiles(res.profiles);
        setActiveId(res.activeId);
        setLoadError(null);
        setLoaded(true);
        return res;
      } catch (err) {
        setLoadError(message(err));
        setLoaded(true);
        return null;
      }
    },
    [client],
  );

  useEffect(() => {
    let cancelled = false;
    void load().then((res) => {
      if (cancelled || !res) return;
      const initial = res.profiles.find((p) => p.id === res.activeId) ?? res.profiles[0] ?? null;
      selectProfile(initial);
    });
    return () => {
      cancelled = true;
    };
  }, [load, selectProfile]);

  const update = <K extends DraftField>(field: K, value: ProfileDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setDirty(true);
    setConfirmDelete(false);
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  /** Validates the draft; a new profile gets an id derived from its name. */
  const validate = () => {
    const withId = draft.id ? draft : { ...draft, id: makeProfileId(draft.name, profiles.map((p) => p.id)) };
    const result = draftToProfile(withId);
    if (!result.ok) {
      setErrors(result.errors);
      setStatus({ kind: 'error', text: 'Fix the highlighted fields.' });
      return null;
    }
    setErrors({});
    return result.profile;
  };

  const onTest = async () => {
    const profile = validate();
    if (!profile) return;
    setBusy('test');
    setStatus(null);
    setTestResult(null);
    try {
      setTestResult(await client.invoke('profiles.test', { profile, password: password || undefined }));
    } catch (err) {
      setTestResult({ ok: false, message: message(err), latencyMs: null, serverVersion: null });
    } finally {
      setBusy(null);
    }
  };

  const save = async (): Promise<BrokerProfileView | null> => {
    const profile = validate();
    if (!profile) return null;
    const saved = await client.invoke('profiles.save', { profile, password: password || undefined });
    setProfiles((list) => {
      const i = list.findIndex((p) => p.id === saved.id);
      return i === -1 ? [...list, saved] : list.map((p) => (p.id === saved.id ? saved : p));
    });
    setSelected(saved.id);
    setDraft(draftFromProfile(saved));
    setPassword('');
    setDirty(false);
    return saved;
  };

  const onSave = async () => {
    setBusy('save');
    setStatus(null);
    try {
      const saved = await save();
      if (saved) setStatus({ kind: 'ok', text: `Saved “${saved.name}”.` });
    } catch (err) {
      setStatus({ kind: 'error', text: `Save failed: ${message(err)}` });
    } finally {
      setBusy(null);
    }
  };

  const onConnect = async () => {
    setBusy('connect');
    setStatus(null);
    try {
      const saved = dirty || selected === 'new' ? await save() : current;
      if (!saved) return;
      const res = await client.invoke('profiles.connect', { id: saved.id });
      setStatus({ kind: res.ok ? 'ok' : 'error', text: res.message || (res.ok ? 'Connecting…' : 'Connect failed') });
      if (res.ok) setActiveId(saved.id);
    } catch (err) {
      setStatus({ kind: 'error', text: `Connect failed: ${message(err)}` });
    } finally {
      setBusy(null);
    }
  };

  const onDelete = async () => {
    if (!current) return;
    if (!confirmDelete) {
      setConfirmDelete(true);
      return;
    }
    setBusy('delete');
    try {
      const res = await client.invoke('profiles.delete', { id: current.id });
      if (res.deleted) {
        const rest = profiles.filter((p) => p.id !== current.id);
        setProfiles(rest);
        selectProfile(rest[0] ?? null);
        setStatus({ kind: 'ok', text: `Deleted “${current.name}”.` });
      } else {
        setStatus({ kind: 'error', text: 'Nothing was deleted.' });
      }
    } catch (err) {
      setStatus({ kind: 'error', text: `Delete failed: ${message(err)}` });
    } finally {
      setBusy(null);
      setConfirmDelete(false);
    }
  };

  const unreachable = session !== 'demo' && session !== 'replay' && (connState !== 'connected' || testResult?.ok === false);
  const hasPassword = current?.hasPassword ?? false;

  return (
    <div className="view view-settings">
      <div className="view-head">
        <h1>Settings</h1>
      </div>
      <div className="settings-grid">
        <section className="panel" aria-label="Broker profiles" data-testid="profile-list-panel">
          <header className="panel-head">
            <h2>Broker profiles</h2>
            <button type="button" className="btn btn-small" onClick={() => selectProfile(null)} data-testid="profile-new">
              New profile
            </button>
          </header>
          {loadError ? (
            <div className="error-text small" role="alert" data-testid="profiles-error">
              Cannot load profiles: {loadError}{' '}
              <button type="button" className="btn btn-small" onClick={() => void load()}>
                Retry
              </button>
            </div>
          ) : null}
          {loaded && profiles.length === 0 && !loadError && selected !== 'new' ? <div className="empty">No profiles yet.</div> : null}
          <ul className="profile-list" data-testid="profile-list">
            {profiles.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="profile-item"
                  aria-current={p.id === selected ? 'true' : undefined}
                  onClick={() => selectProfile(p)}
                  data-testid="profile-item"
                  data-profile-id={p.id}
                >
                  <span className="profile-name">
                    {p.name}
                    {p.id === activeId ? (
                      <span className="badge badge-ok" data-testid="profile-active">
                        active
                      </span>
                    ) : null}
                  </span>
                  <span className="mono small muted ellipsis">{p.url}</span>
                </button>
              </li>
            ))}
            {selected === 'new' ? (
              <li>
                <div className="profile-item" aria-current="true">
                  <span className="profile-name">{draft.name || 'New profile'}</span>
                  <span className="small muted">not saved</span>
                </div>
              </li>
            ) : null}
          </ul>
        </section>

        <section className="panel" aria-label="Profile editor">
          <header className="panel-head">
            <h2>{selected === 'new' ? 'New profile' : current ? `Edit “${current.name}”` : 'Profile'}</h2>
            {dirty ? <span className="badge badge-warn">unsaved changes</span> : null}
          </header>
          <form
            className="profile-form"
            data-testid="profile-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void onSave();
            }}
          >
            <div className="form-grid">
              <Field label="Name" field="name" errors={errors}>
                {(p) => <input {...p} value={draft.name} onChange={(e) => update('name', e.target.value)} maxLength={100} autoComplete="off" />}
              </Field>
              <Field
                label="Broker URL"
                field="url"
                errors={errors}
                hint="amqp:// or amqps://; a password in the URL is moved to the secret store on save."
              >
                {(p) => (
                  <input {...p} className="mono" value={draft.url} onChange={(e) => update('url', e.target.value)} spellCheck={false} autoComplete="off" />
                )}
              </Field>
              <Field label="Password" field="password" errors={errors} hint={hasPassword ? 'A password is stored. Leave blank to keep it.' : 'No password stored.'}>
                {(p) => (
                  <input
                    {...p}
                    type="password"
                    value={password}
                    onChange={(e) => {
                      setPassword(e.target.value);
                      setDirty(true);
                    }}
                    autoComplete="new-password"
                    placeholder={hasPassword ? '•••••••• (stored)' : ''}
                    maxLength={1024}
                    data-testid="profile-password"
                  />
                )}
              </Field>
              <Field label="Exchange" field="exchange" errors={errors}>
                {(p) => <input {...p} className="mono" value={draft.exchange} onChange={(e) => update('exchange', e.target.value)} spellCheck={false} />}
              </Field>
              <Field label="Exchange type" field="exchangeType" errors={errors}>
                {(p) => (
                  <select {...p} value={draft.exchangeType} onChange={(e) => update('exchangeType', e.target.value as ProfileDraft['exchangeType'])}>
                    {EXCHANGE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Bindings" field="bindings" errors={errors} hint="One routing key pattern per line.">
                {(p) => <textarea {...p} className="mono" rows={3} value={draft.bindings} onChange={(e) => update('bindings', e.target.value)} spellCheck={false} />}
              </Field>
              <Field
                label="Queue"
                field="queue"
                errors={errors}
                hint={
                  draft.queue.trim()
                    ? 'A named queue: consoles on the same classic or quorum queue compete for its messages (each gets only part of them); a stream gives each all of them.'
                    : "Empty: this console's own queue (payops.console.<host>.<id>), so it sees every event whatever other consoles do."
                }
              >
                {(p) => (
                  <input
                    {...p}
                    className="mono"
                    value={draft.queue}
                    onChange={(e) => update('queue', e.target.value)}
                    spellCheck={false}
                    placeholder="this console's own queue"
                    data-testid="profile-queue"
                  />
                )}
              </Field>
              <Field label="Queue type" field="queueType" errors={errors}>
                {(p) => (
                  <select {...p} value={draft.queueType} onChange={(e) => update('queueType', e.target.value as ProfileDraft['queueType'])}>
                    {QUEUE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                label="Queue expiry (hours)"
                field="queueExpires"
                errors={errors}
                hint="x-expires: the broker deletes the queue after this long without a consumer. Empty: 24 h for this console's own queue, none for a named one; 0: never."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="decimal"
                    value={draft.queueExpires}
                    onChange={(e) => update('queueExpires', e.target.value)}
                    placeholder={draft.queue.trim() ? 'none' : '24'}
                    data-testid="profile-queue-expires"
                  />
                )}
              </Field>
              <Field label="Prefetch" field="prefetch" errors={errors}>
                {(p) => <input {...p} type="number" min={1} max={65535} value={draft.prefetch} onChange={(e) => update('prefetch', e.target.value)} />}
              </Field>
              <Field label="Watched queues" field="watchQueues" errors={errors} hint="Queues whose depth is charted; one per line.">
                {(p) => <textarea {...p} className="mono" rows={3} value={draft.watchQueues} onChange={(e) => update('watchQueues', e.target.value)} spellCheck={false} />}
              </Field>
              <Field label="Management API" field="managementUrl" errors={errors} hint="Rates, delay and node alarms. Empty: the broker's host, port 15672, with this profile's credentials; 'off': depth only.">
                {(p) => <input {...p} className="mono" placeholder="http://host:15672" value={draft.managementUrl} onChange={(e) => update('managementUrl', e.target.value)} spellCheck={false} data-testid="profile-management-url" />}
              </Field>
            </div>
            <div className="form-actions">
              <button type="button" className="btn" onClick={onTest} disabled={busy !== null} data-testid="profile-test">
                {busy === 'test' ? 'Testing…' : 'Test connection'}
              </button>
              <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="profile-save">
                {busy === 'save' ? 'Saving…' : 'Save'}
              </button>
              <button type="button" className="btn" onClick={onConnect} disabled={busy !== null} data-testid="profile-connect">
                {busy === 'connect' ? 'Connecting…' : 'Connect'}
              </button>
              {current ? (
                <button type="button" className="btn btn-danger" onClick={onDelete} disabled={busy !== null} data-testid="profile-delete">
                  {confirmDelete ? 'Confirm delete' : 'Delete'}
                </button>
              ) : null}
            </div>
            <div className="form-results">
              {testResult ? (
                <div className={`result ${testResult.ok ? 'result-ok' : 'result-error'}`} role="status" data-testid="profile-test-result" data-ok={String(testResult.ok)}>
                  <strong>{testResult.ok ? 'Connection OK' : 'Connection failed'}</strong>
                  <span>{testResult.message}</span>
                  {testResult.latencyMs !== null ? <span className="muted">{Math.round(testResult.latencyMs)} ms</span> : null}
                  {testResult.serverVersion ? <span className="muted">{testResult.serverVersion}</span> : null}
                </div>
              ) : null}
              {status ? (
                <div className={`result result-${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="profile-status">
                  {status.text}
                </div>
              ) : null}
            </div>
          </form>
        </section>

        <section className="panel" aria-label="Demo mode" data-testid="demo-panel">
          <header className="panel-head">
            <h2>Demo mode</h2>
          </header>
          {session === 'demo' ? (
            <p className="small">Demo mode is running. Use “Stop demo” in the banner to end it.</p>
          ) : unreachable ? (
            <>
              <p className="small">
                {testResult?.ok === false || connState === 'disconnected' || connState === 'reconnecting'
                  ? 'The broker cannot be reached.'
                  : 'No broker is connected.'}{' '}
                Demo mode generates payment and risk events so the console can be tried without one. Its events never mix with
                live data.
              </p>
              <DemoStart />
            </>
          ) : (
            <p className="small muted">Connected to a broker. Demo mode is offered when no broker can be reached.</p>
          )}
        </section>
      </div>
    </div>
  );
}
