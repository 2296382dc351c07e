// The contact point secrets panel as the renderer draws it (react-dom/server, no DOM needed):
// states in words with the scheme and host only, a password-type input that holds no value
// in the markup, the refusal shown on the field, and no Set where the store cannot keep it.
import { createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ContactPointSecretView, ContactPointsResults } from '../../../shared/contactPointsApi';
import { ContactPointSecretsPanel, type ContactPointSecretsPanelProps } from './ContactPointSecrets';
import { SECRET_URL_REFUSED } from './contactPointSecretsModel';

const row = (contactPoint: string, v: Partial<ContactPointSecretView>): ContactPointSecretView => ({
  contactPoint, type: 'webhook', secret: `${contactPoint}-hook`, envVariable: `PAYOPS_SECRET_${contactPoint.toUpperCase()}_HOOK`, source: null, target: null, problem: null, ...v,
});
const listing = (store = { available: true, reason: null as string | null }): ContactPointsResults['contactPoints.secrets'] => ({
  contactPoints: [
    row('oncall', { source: 'store', target: 'https://hooks.slack.com/…' }),
    row('team', { type: 'slack', source: 'environment', target: 'https://hooks.example.com/…' }),
    row('billing', {}),
  ],
  store,
  rulesFile: '/data/rules.yaml',
  loadError: null,
  reloadError: null,
});
const draw = (p: Partial<ContactPointSecretsPanelProps>) =>
  renderToStaticMarkup(
    <ContactPointSecretsPanel listing={listing()} loadError={null} editing={null} fieldError={null} busy={false} status={null} urlInput={createRef()} onEdit={() => undefined} onSave={() => undefined} onClear={() => undefined} {...p} />,
  );

describe('contact point secrets panel', () => {
  it('lists each contact point with where its URL comes from, never more than the scheme and host', () => {
    const html = draw({});
    expect(html).toContain('set in the console: https://hooks.slack.com/…');
    expect(html).toContain('from PAYOPS_SECRET_TEAM_HOOK: https://hooks.example.com/…');
    expect(html).toContain('not set: its notifications fail (set it here, or PAYOPS_SECRET_BILLING_HOOK for headless runs)');
    // Replace and Clear for the console's own URL; Set for the others (an environment value stays where it is).
    expect([...html.matchAll(/data-testid="contact-point-secret-edit"[^>]*>(\w+)</g)].map((m) => m[1])).toEqual(['Replace', 'Set', 'Set']);
    expect(html.match(/contact-point-secret-clear/g)).toHaveLength(1);
    expect(html).not.toContain('contact-point-secret-form');
  });

  it('takes the URL in a password-type input that holds no value, and shows a refusal on the field', () => {
    const html = draw({ editing: 'billing', fieldError: SECRET_URL_REFUSED });
    const input = html.match(/<input[^>]*data-testid="contact-point-secret-url"[^>]*>/)?.[0] ?? '';
    expect(input).toContain('type="password"');
    expect(input).toContain('autoComplete="off"');
    expect(input).not.toMatch(/\svalue=/);
    expect(input).toContain('aria-invalid="true"');
    expect(html).toContain('URL for billing');
    expect(html).toMatch(/role="alert"[^>]*>Must be an http\(s\) URL such as https:\/\/hooks.slack.com\/services\/…</);
  });

  it('says why the store cannot keep a URL, and offers no Set then', () => {
    const html = draw({ listing: listing({ available: false, reason: 'no OS keyring (gnome-keyring or KWallet) is running, so passwords are not stored' }) });
    expect(html).toContain('URLs cannot be saved here: no OS keyring');
    for (const button of html.match(/<button[^>]*data-testid="contact-point-secret-edit"[^>]*>/g) ?? []) expect(button).toContain('disabled');
  });

  it('says when the saved routing was not applied and why, above the routing still in use', () => {
    expect(draw({})).not.toContain('contact-point-secrets-reload-error');
    const html = draw({ listing: { ...listing(), reloadError: 'contactPoints[1].urlSecret: secrets "a" and "A" share PAYOPS_SECRET_A' } });
    expect(html).toMatch(
      /data-testid="contact-point-secrets-reload-error"[^>]*>The routing of the rules saved last was not applied, so the session still routes on the one before \(listed here\): contactPoints\[1\]\.urlSecret/,
    );
    expect(html).toContain('set in the console: https://hooks.slack.com/…');
  });

  it('says the list is the running session\'s routing, not the rules file as it is on disk', () => {
    // The service lists the routing the session applied (NotificationHub.routingInUse): a file
    // edited on disk counts once the rule editor saves it.
    expect(draw({})).toContain('The contact points the running session routes to: its rules file as last applied (an edit on disk counts once saved from the rule editor).');
    const empty = draw({ listing: { ...listing(), contactPoints: [] } });
    expect(empty).toContain('No contact point of the running session&#x27;s routing names a urlSecret.');
    expect(empty).not.toContain('in the rules file');
    expect(draw({ listing: { ...listing(), contactPoints: [], rulesFile: null } })).toContain('The running session has no rules file, so no routing and no contact points.');
    expect(draw({ listing: { ...listing(), contactPoints: [], loadError: 'contactPoints[1].urlSecret: secrets "a" and "A" share PAYOPS_SECRET_A' } })).toContain(
      'The running session routes no alerts: its rules file&#x27;s routing could not be read when it was applied: contactPoints[1].urlSecret',
    );
  });
});
