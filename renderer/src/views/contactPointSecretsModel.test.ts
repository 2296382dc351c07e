import { describe, expect, it } from 'vitest';
import type { ContactPointSecretView } from '../../../shared/contactPointsApi';
import { SECRET_URL_REFUSED, secretStateText, secretUrlProblem } from './contactPointSecretsModel';

const view = (v: Partial<ContactPointSecretView>): ContactPointSecretView => ({
  contactPoint: 'oncall', type: 'webhook', secret: 'oncall-hook', envVariable: 'PAYOPS_SECRET_ONCALL_HOOK', source: null, target: null, problem: null, ...v,
});

describe('contact point secrets panel', () => {
  it('says where a URL comes from with its scheme and host only', () => {
    expect(secretStateText(view({ source: 'store', target: 'https://hooks.slack.com/…' }))).toBe('set in the console: https://hooks.slack.com/…');
    expect(secretStateText(view({ source: 'environment', target: 'https://hooks.slack.com/…' }))).toBe('from PAYOPS_SECRET_ONCALL_HOOK: https://hooks.slack.com/…');
    expect(secretStateText(view({}))).toBe('not set: its notifications fail (set it here, or PAYOPS_SECRET_ONCALL_HOOK for headless runs)');
    expect(secretStateText(view({ source: 'environment', problem: 'PAYOPS_SECRET_ONCALL_HOOK is not an http(s) URL' }))).toBe('PAYOPS_SECRET_ONCALL_HOOK is not an http(s) URL');
  });

  it('refuses anything but an http(s) URL before sending it, without repeating it', () => {
    expect(secretUrlProblem('https://hooks.slack.com/services/T1/B2/secretTOKEN')).toBeNull();
    expect(secretUrlProblem(' http://127.0.0.1:8080/hook ')).toBeNull();
    for (const bad of ['hooks.slack.com/services/T1/B2/secretTOKEN', 'ftp://x/secretTOKEN', 'javascript:secretTOKEN']) expect(secretUrlProblem(bad)).toBe(SECRET_URL_REFUSED);
    expect(secretUrlProblem('  ')).toBe('Type the URL, or Cancel');
  });
});
