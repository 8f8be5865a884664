import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@memory-weaver/protocol': fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)),
  '@memory-weaver/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
};

// Two tiers: `unit` is pure logic with no emulator, no server and no network (it runs first and in
// seconds); `emulators` talks to the real Firebase emulators, relays and a browser.
export default defineConfig({
  resolve: { alias },
  test: {
    // Per-file lines are enough when green; a failure prints the test in full anyway.
    slowTestThreshold: 60_000,
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], pool: 'threads' },
      },
      {
        resolve: { alias },
        test: {
          name: 'emulators',
          include: ['tests/**/*.test.ts'],
          // MW_SKIP_BROWSER=1 leaves the browser tier out; scripts/test.mjs says so at the start and end.
          exclude: [
            'tests/unit/**',
            ...(/^(1|true|yes)$/i.test(process.env.MW_SKIP_BROWSER ?? '') ? ['tests/e2e/**'] : []),
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
