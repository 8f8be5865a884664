// ESLint for the whole repository (flat config). Every rule is an error: a rule worth having is
// worth keeping green, and a rule at `warn` is one nobody reads. Each exception carries its reason.
//
// The "may import" line of each package README is enforced here with `no-restricted-imports`, so a
// boundary that a README promises is one the build keeps.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folders of the workspace, for boundary rules. */
const CORE = '@memory-weaver/core';

/** `no-restricted-imports` patterns: each group names what a folder may not reach. */
const restrict = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
});

const NODE_ONLY = [['node:*', 'fs', 'path', 'crypto', 'http'], 'it runs in browsers too: no Node built-ins'];
const FIREBASE_ADMIN = [
  ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*'],
  'server-only',
];
const TRANSPORTS = [['express', 'socket.io', 'socket.io/*'], 'core knows nothing of transports'];
const OUTSIDE_PACKAGE = [
  ['**/functions/src/**', '**/relay/src/**', '**/sdk/src/**', '**/web/src/**', '**/tests/**', '**/bench/**'],
  'reach another package through its name, not its files',
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/lib/**', '.cache/**', 'artifacts/**', 'coverage/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template literals with numbers are how this code builds ids, paths and messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_unused` names mark arguments required by a signature (Express error handlers need 4).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `void promise` is how fire-and-forget is marked on purpose (listeners, timers).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Express and Socket.IO take async handlers that we wrap so they never reject.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // Data from Firestore and JSON is `unknown` until a schema has parsed it; `String(x)` on it is fine.
      '@typescript-eslint/no-base-to-string': 'off', // reason: Firestore fields are DocumentData (any), stringified on purpose after checks
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'interface'],
      // `() => res.json(x)` and `onClick={() => setX(y)}` are the idiom; a block body adds noise.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `() => {}` is how a no-op callback is written.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
      // reason: it asks for `x!` where `x as T` narrows, and strict's no-non-null-assertion (kept) forbids `x!`.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
    },
  },
  {
    // reason: tests and benches read JSON bodies and emulator documents as `any` on purpose; the
    // assertions that follow are the type check. Source code keeps every no-unsafe-* rule.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        NODE_ONLY,
        FIREBASE_ADMIN,
        [[CORE, 'socket.io'], 'the console talks to the API and relay only'],
        OUTSIDE_PACKAGE,
      ),
    },
  },
  // Boundaries: the "may import" line of each package's README.
  {
    files: ['packages/protocol/src/**/*.ts'],
    rules: restrict(
      NODE_ONLY,
      FIREBASE_ADMIN,
      TRANSPORTS,
      [['@memory-weaver/*'], 'the protocol depends on zod alone'],
      OUTSIDE_PACKAGE,
    ),
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: restrict(TRANSPORTS, [['socket.io-client', 'openai'], 'core is shared server code'], OUTSIDE_PACKAGE),
  },
  {
    files: ['functions/src/**/*.ts'],
    rules: restrict(
      [['socket.io', 'socket.io-client', '@memory-weaver/sdk'], 'the API is not a socket client'],
      OUTSIDE_PACKAGE,
    ),
  },
  {
    files: ['relay/src/**/*.ts'],
    rules: restrict([['express', 'openai', '@memory-weaver/sdk'], 'the relay only relays'], OUTSIDE_PACKAGE),
  },
  {
    files: ['sdk/src/**/*.ts'],
    rules: restrict(
      NODE_ONLY,
      FIREBASE_ADMIN,
      [[CORE, 'express', 'socket.io'], 'the SDK is a client'],
      OUTSIDE_PACKAGE,
    ),
  },
  prettier,
);
