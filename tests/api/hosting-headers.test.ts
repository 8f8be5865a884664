/**
 * What Hosting (its emulator, reading firebase.json) sends with the console's files. The browser
 * tests (tests/e2e) run the console under this very policy.
 */
import { describe, expect, it } from 'vitest';
import { API_URL } from '../support/emulators.js';

/** The directives of a Content-Security-Policy header, by name. */
const directives = (csp: string | null): Map<string, string[]> =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );

describe("the console's security headers", () => {
  it.each(['/', '/ais/some-ai'])(
    'come with %s: no framing, no plugins, no sniffing, origin-only referrers',
    async (path) => {
      const res = await fetch(`${API_URL}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
    },
  );

  it('refuse scripts from anywhere but the console itself, with no inline script and no eval', async () => {
    const csp = directives((await fetch(`${API_URL}/`)).headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toContain("'self'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
  });

  it("allow the console's connections: its own origin, the local relay and Auth emulator, Google's identity endpoints", async () => {
    const csp = directives((await fetch(`${API_URL}/`)).headers.get('content-security-policy'));
    const connect = csp.get('connect-src') ?? [];
    for (const origin of [
      "'self'",
      'http://127.0.0.1:3001',
      'ws://127.0.0.1:3001',
      'http://127.0.0.1:9099',
      'https://identitytoolkit.googleapis.com',
      'https://securetoken.googleapis.com',
    ]) {
      expect(connect).toContain(origin);
    }
  });
});
