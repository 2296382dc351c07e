// The URL secrets of the running session's contact points (the routing it routes on: its rules
// file as last applied, not as edited on disk since), as Grafana's contact point editor treats
// secure fields: each says whether its URL is set and where from (at most the scheme
// and host: the path holds the token), and the operator sets, replaces or clears it. The
// typed URL stays in the password input (never in React state) and is emptied once sent.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ContactPointsResults } from '../../../shared/contactPointsApi';
import { getClient } from '../api/client';
import { message } from '../components/Modal';
import { secretStateText, secretUrlProblem } from './contactPointSecretsModel';

type Listing = ContactPointsResults['contactPoints.secrets'];
type Status = { kind: 'ok' | 'error'; text: string } | null;

export interface ContactPointSecretsPanelProps {
  listing: Listing | null;
  loadError: string | null;
  /** The contact point whose URL is being typed, or null. */
  editing: string | null;
  fieldError: string | null;
  busy: boolean;
  status: Status;
  urlInput: RefObject<HTMLInputElement | null>;
  onEdit(contactPoint: string | null): void;
  onSave(e: FormEvent): void;
  onClear(contactPoint: string): void;
}

/** The panel as the props say (no requests): what the container and the renderer tests draw. */
export function ContactPointSecretsPanel(props: ContactPointSecretsPanelProps) {
  const { listing, loadError, editing, fieldError, busy, status, urlInput } = props;
  const id = useId();
  const rows = listing?.contactPoints ?? [];
  return (
    <section role="region" aria-label="Contact point secrets" className="panel contact-point-secrets" data-testid="contact-point-secrets">
      <header className="panel-head">
        <h2>Contact point URLs</h2>
      </header>
      <p className="muted small" data-testid="contact-point-secrets-scope">
        The contact points the running session routes to: its rules file as last applied (an edit on disk counts once saved from the rule editor).
      </p>
      {loadError ? (
        <div className="error-text small" role="alert">
          Contact points unavailable: {loadError}
        </div>
      ) : null}
      {listing?.loadError ? (
        <div className="error-text small" role="alert" data-testid="contact-point-secrets-load-error">
          The running session routes no alerts: its rules file&apos;s routing could not be read when it was applied: {listing.loadError}
        </div>
      ) : null}
      {listing?.reloadError ? (
        <div className="error-text small" role="alert" data-testid="contact-point-secrets-reload-error">
          The routing of the rules saved last was not applied, so the session still routes on the one before (listed here): {listing.reloadError}
        </div>
      ) : null}
      {listing && !listing.store.available ? (
        <div className="error-text small" role="alert" data-testid="contact-point-secrets-store">
          URLs cannot be saved here: {listing.store.reason}
        </div>
      ) : listing?.store.reason ? (
        <p className="muted small">URLs are {listing.store.reason}.</p>
      ) : null}
      {listing === null && !loadError ? <div className="empty">Loading…</div> : null}
      {listing !== null && rows.length === 0 && !listing.loadError ? (
        <div className="empty" data-testid="contact-point-secrets-empty">
          {listing.rulesFile === null ? 'The running session has no rules file, so no routing and no contact points.' : "No contact point of the running session's routing names a urlSecret."}
        </div>
      ) : null}
      {rows.length > 0 ? (
        <table className="table" data-testid="contact-point-secrets-table">
          <thead>
            <tr>
              <th scope="col">Contact point</th>
              <th scope="col">Secret</th>
              <th scope="col">URL</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.contactPoint} data-testid="contact-point-secret" data-contact-point={v.contactPoint} data-source={v.source ?? 'none'}>
                <td>
                  {v.contactPoint} <span className="muted small">{v.type}</span>
                </td>
                <td className="mono small">{v.secret}</td>
                <td className={v.problem || v.source === null ? 'error-text small' : 'small'} data-testid="contact-point-secret-state">
                  {secretStateText(v)}
                </td>
                <td className="nowrap">
                  {editing === v.contactPoint ? null : (
                    <button type="button" className="btn btn-small" disabled={busy || !listing?.store.available} onClick={() => props.onEdit(v.contactPoint)} data-testid="contact-point-secret-edit">
                      {v.source === 'store' ? 'Replace' : 'Set'}
                    </button>
                  )}
                  {v.source === 'store' ? (
                    <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => props.onClear(v.contactPoint)} data-testid="contact-point-secret-clear">
                      Clear
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing !== null ? (
        <form className="field" onSubmit={props.onSave} data-testid="contact-point-secret-form" noValidate>
          <label htmlFor={`${id}-url`}>URL for {editing}</label>
          <input
            ref={urlInput}
            id={`${id}-url`}
            type="password"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            maxLength={2048}
            placeholder="https://hooks.slack.com/services/…"
            aria-invalid={fieldError !== null}
            aria-describedby={fieldError ? `${id}-err` : `${id}-hint`}
            data-testid="contact-point-secret-url"
          />
          <div className="field-hint" id={`${id}-hint`}>
            Kept in the secret store, never shown again; the running session uses it for its next message.
          </div>
          {fieldError ? (
            <div className="field-error" id={`${id}-err`} role="alert" data-testid="contact-point-secret-error">
              {fieldError}
            </div>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="contact-point-secret-save">
              Save
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => props.onEdit(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {status ? (
        <div className={`result result-${status.kind} small`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="contact-point-secret-status">
          {status.text}
        </div>
      ) : null}
    </section>
  );
}

/** The panel with its requests: `contactPoints.secrets`, `.setSecret`, `.clearSecret`. */
export function ContactPointSecrets() {
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const urlInput = useRef<HTMLInputElement | null>(null);

  const load = useCallback(async () => {
    try {
      setListing(await getClient().invoke('contactPoints.secrets', {}));
      setLoadError(null);
    } catch (err) {
      setLoadError(message(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const edit = (contactPoint: string | null) => {
    if (urlInput.current) urlInput.current.value = '';
    setEditing(contactPoint);
    setFieldError(null);
    setStatus(null);
  };
  useEffect(() => {
    if (editing) urlInput.current?.focus();
  }, [editing]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const contactPoint = editing;
    const input = urlInput.current;
    if (!contactPoint || !input) return;
    const problem = secretUrlProblem(input.value);
    if (problem) {
      setFieldError(problem);
      return;
    }
    setBusy(true);
    try {
      const saved = await getClient().invoke('contactPoints.setSecret', { contactPoint, url: input.value });
      input.value = '';
      setEditing(null);
      setFieldError(null);
      setStatus({ kind: 'ok', text: `Saved the URL of ${saved.contactPoint} (${saved.target ?? 'an http(s) URL'}).` });
      await load();
    } catch (err) {
      setFieldError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const clear = async (contactPoint: string) => {
    setBusy(true);
    try {
      const r = await getClient().invoke('contactPoints.clearSecret', { contactPoint });
      setStatus({ kind: 'ok', text: r.cleared ? `Cleared the URL of ${contactPoint}: ${secretStateText(r.contactPoint)}.` : `${contactPoint} had no URL in the console.` });
      await load();
    } catch (err) {
      setStatus({ kind: 'error', text: message(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <ContactPointSecretsPanel
      listing={listing}
      loadError={loadError}
      editing={editing}
      fieldError={fieldError}
      busy={busy}
      status={status}
      urlInput={urlInput}
      onEdit={edit}
      onSave={(e) => void save(e)}
      onClear={(cp) => void clear(cp)}
    />
  );
}
