import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, loadConfig } from '../../../functions/src/config.js';

describe('the request limits in the configuration', () => {
  it('uses the defaults when nothing is set, or only blanks', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(loadConfig({ MW_RATE_PER_KEY: '  ', MW_RATE_PER_ADDRESS: '' }).limits).toEqual(DEFAULT_LIMITS);
  });

  it('reads each limit from its variable', () => {
    const limits = loadConfig({
      MW_RATE_PER_KEY: '10',
      MW_RATE_PER_ADDRESS: ' 20 ',
      MW_RATE_AUTH_FAILURES: '3',
      MW_TRUST_PROXY_HOPS: '0',
      MW_MAX_RESPONSE_BYTES: '65536',
      MW_MAX_INDEXED_MEMORIES: '5000',
    }).limits;
    expect(limits).toEqual({
      perCallerPerMinute: 10,
      perAddressPerMinute: 20,
      authFailuresPerWindow: 3,
      trustProxyHops: 0,
      maxResponseBytes: 65_536,
      maxIndexedMemories: 5_000,
    });
  });

  it.each([
    ['MW_RATE_PER_KEY', 'lots'],
    ['MW_RATE_PER_KEY', '0'],
    ['MW_RATE_PER_ADDRESS', '1.5'],
    ['MW_RATE_AUTH_FAILURES', '-1'],
    ['MW_TRUST_PROXY_HOPS', 'true'],
    ['MW_MAX_RESPONSE_BYTES', '100'],
  ])('refuses to start with %s=%j, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
