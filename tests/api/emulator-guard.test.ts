import { describe, expect, it } from 'vitest';
import { assertEmulatorsOnlyLocally, projectIdFrom } from '@memory-weaver/core';

describe('refusing emulator settings outside local runs', () => {
  it('refuses the Auth emulator with a real project id', () => {
    expect(() =>
      assertEmulatorsOnlyLocally({ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }, 'memory-weaver-prod'),
    ).toThrow(/refusing to start/);
  });
  it('refuses the Firestore emulator with no project id', () => {
    expect(() => assertEmulatorsOnlyLocally({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' }, undefined)).toThrow(
      /refusing/,
    );
  });
  it('accepts emulators with a demo- project id', () => {
    expect(() =>
      assertEmulatorsOnlyLocally({ FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }, 'demo-memory-weaver'),
    ).not.toThrow();
  });
  it('accepts a real project id with no emulator settings', () => {
    expect(() => assertEmulatorsOnlyLocally({ FIREBASE_AUTH_EMULATOR_HOST: ' ' }, 'memory-weaver-prod')).not.toThrow();
  });
  it('reads the project id from FIREBASE_CONFIG when GCLOUD_PROJECT is absent', () => {
    expect(projectIdFrom({ FIREBASE_CONFIG: '{"projectId":"demo-x"}' })).toBe('demo-x');
  });
});
