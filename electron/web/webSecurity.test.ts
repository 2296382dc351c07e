import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildWebUrl, errorMessage, generateToken, injectSessionScript, SESSION_SCRIPT, isAllowedHost, isAllowedOrigin, cookieValues, tokenMatches } from './webSecurity';
import { resolveStaticPath, contentTypeFor, isInside } from './staticFiles';

describe('web security helpers', () => {
  it('compares tokens in constant time and refuses anything else', () => {
    const t = generateToken();
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, t.toUpperCase())).toBe(false);
    expect(tokenMatches(t, t.slice(1))).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, undefined)).toBe(false);
    expect(tokenMatches(t, ['x'])).toBe(false);
  });

  it('accepts only loopback Host and Origin on our port', () => {
    expect(isAllowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isAllowedHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isAllowedHost('[::1]:8080', 8080)).toBe(true);
    expect(isAllowedHost('[::1]:8081', 8080)).toBe(false);
    expect(isAllowedHost('[::1]', 8080)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 8080)).toBe(false);
    expect(isAllowedHost('attacker.example:8080', 8080)).toBe(false);
    expect(isAllowedHost(undefined, 8080)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(isAllowedOrigin('http://localhost:8080', 8080)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:8080', 8080)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:8081', 8080)).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:8080', 8080)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8081', 8080)).toBe(false);
    expect(isAllowedOrigin('null', 8080)).toBe(false);
    expect(isAllowedOrigin(undefined, 8080)).toBe(false);
  });

  it('parses cookies tolerantly', () => {
    expect(cookieValues('a=1; b=2;; =x; c; a = 3', 'a')).toEqual(['1', '3']);
    expect(cookieValues('a=1; b=2', 'c')).toEqual([]);
    expect(cookieValues(undefined, 'a')).toEqual([]);
  });

  it('builds the printed URL', () => {
    expect(buildWebUrl(4321, 'ab')).toBe('http://127.0.0.1:4321/?token=ab');
  });

  it('never returns a stack in an error message', () => {
    const e = new Error('line one\n    at x (/secret/path.js:1:1)');
    expect(errorMessage(e)).toBe('line one');
    expect(errorMessage('x'.repeat(1000))).toHaveLength(500);
    expect(errorMessage({})).toBe('internal error');
  });

  it('knows content types and containment', () => {
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
    expect(isInside('/r', '/r/a')).toBe(true);
    expect(isInside('/r', '/r')).toBe(true);
    expect(isInside('/r', '/rr/a')).toBe(false);
    expect(isInside('/r', '/a')).toBe(false);
    expect(resolveStaticPath('/definitely/not/here', '/index.html')).toEqual({ kind: 'not-found' });
  });

  it('puts the session script first in <head>, else before the first script, else after the doctype', () => {
    const tag = '<script src="/payops-session.js"></script>';
    expect(injectSessionScript('<!doctype html><html><HEAD lang="x"><title>t</title><script type="module" src="/a.js"></script></HEAD></html>')).toBe(
      `<!doctype html><html><HEAD lang="x">${tag}<title>t</title><script type="module" src="/a.js"></script></HEAD></html>`,
    );
    expect(injectSessionScript('<!doctype html><title>t</title><script src="/a.js"></script>')).toBe(`<!doctype html><title>t</title>${tag}<script src="/a.js"></script>`);
    expect(injectSessionScript('<!doctype html><p>x</p>')).toBe(`<!doctype html>${tag}<p>x</p>`);
    expect(injectSessionScript('<header>x</header>')).toBe(`${tag}<header>x</header>`);
  });

  it('the session script stores the token, and puts it back only into a same-origin address', () => {
    const run = (href: string, stored: string | null) => {
      const store = new Map<string, string>(stored ? [['payops.webToken', stored]] : []);
      const replaced: string[] = [];
      const u = new URL(href);
      const location = { href: u.href, origin: u.origin, pathname: u.pathname, search: u.search, hash: u.hash };
      vm.runInNewContext(SESSION_SCRIPT, {
        location,
        URL,
        URLSearchParams,
        sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
        history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(new URL(url, u.href).href) },
      });
      return { stored: store.get('payops.webToken') ?? null, replaced };
    };
    expect(run('http://127.0.0.1:8123/?token=abc#/alerts', null)).toEqual({ stored: 'abc', replaced: [] });
    expect(run('http://127.0.0.1:8123/#/alerts', 'abc')).toEqual({ stored: 'abc', replaced: ['http://127.0.0.1:8123/?token=abc#/alerts'] });
    expect(run('http://127.0.0.1:8123/', null)).toEqual({ stored: null, replaced: [] });
    // A path that reads as a network-path reference must not send the token to another host.
    const odd = run('http://127.0.0.1:8123//evil.example/x', 'abc');
    expect(odd.replaced).toHaveLength(1);
    expect(new URL(odd.replaced[0]).origin).toBe('http://127.0.0.1:8123');
  });
});
