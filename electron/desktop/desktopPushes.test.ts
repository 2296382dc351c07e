// What the main process tells the renderer when a notification is clicked and when it refuses a
// link: before, a click sent 'view.alerts' (the view, not the alert) and a refused link only
// logged a line, so the operator who clicked saw nothing happen.
import { describe, expect, it } from 'vitest';
import { menuPushSchema } from '../../shared/menuPush';
import { linkRefusal } from './navigation';
import { notificationClickPush } from './notifications';

describe('a notification click', () => {
  it('opens the alert it names, by its key', () => {
    expect(notificationClickPush({ key: 'decline-rate|merchant=m_1|1700000000000' })).toEqual({ command: 'alert.open', key: 'decline-rate|merchant=m_1|1700000000000' });
  });

  it('opens the Alerts view when it names no alert the renderer could open', () => {
    for (const key of [undefined, '', 'k'.repeat(401)]) expect(notificationClickPush({ key })).toEqual({ command: 'view.alerts' });
  });

  it('sends only what the contract takes', () => {
    expect(menuPushSchema.safeParse(notificationClickPush({ key: 'k' })).success).toBe(true);
    expect(menuPushSchema.safeParse(notificationClickPush({})).success).toBe(true);
  });
});

describe('a refused link', () => {
  const hosts = ['github.com', '*.corp.example'];

  it('is named by its host and why, never by its login, path or query', () => {
    expect(linkRefusal('https://wiki.acme.example/runbooks/declines?token=tok3nSECRET', hosts)).toEqual({ command: 'link.blocked', host: 'wiki.acme.example', reason: 'host' });
    expect(linkRefusal('http://wiki.corp.example/runbook', hosts)).toEqual({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'scheme' });
    expect(linkRefusal('https://ops:hunter2pw@wiki.corp.example/runbook', hosts)).toEqual({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'credentials' });
    expect(linkRefusal('https://ops:***@wiki.corp.example/runbook', hosts)).toMatchObject({ reason: 'credentials' });
    expect(linkRefusal('https://wiki.corp.example:8443/runbook', hosts)).toEqual({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'port' });
    for (const bad of ['not a url ?token=tok3nSECRET', 42, null, `https://github.com/${'x'.repeat(5000)}`]) {
      expect(linkRefusal(bad, hosts)).toEqual({ command: 'link.blocked', host: '', reason: 'invalid' });
    }
    expect(JSON.stringify(linkRefusal('https://ops:hunter2pw@wiki.example/x?token=tok3nSECRET', hosts))).not.toMatch(/hunter2pw|tok3nSECRET|ops/);
  });

  it('is null for a link the allow-list opens, as isAllowedExternalUrl says', () => {
    expect(linkRefusal('https://github.com/payops', hosts)).toBeNull();
    expect(linkRefusal('https://wiki.corp.example/runbook', hosts)).toBeNull();
    expect(linkRefusal('https://corp.example/runbook', hosts)).toMatchObject({ reason: 'host' });
  });

  it('fits the contract whatever the link', () => {
    for (const url of ['https://wiki.acme.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://[::1]/x', 'https://xn--bcher-kva.example/', 'smb://share/x', '']) {
      const r = linkRefusal(url, hosts);
      if (r !== null) expect(menuPushSchema.safeParse(r).success, url).toBe(true);
    }
  });
});
