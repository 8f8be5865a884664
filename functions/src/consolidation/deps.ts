/**
 * @module consolidation/deps — what a consolidation run is handed: Firestore, the clock, and the
 * model (for extraction jobs and reflections). Index.ts and the route build it; tests hand in the
 * emulator and the scripted stand-in.
 */
import type { DocumentData, Firestore } from 'firebase-admin/firestore';
import type { Clock } from '@memory-weaver/core';
import type { LlmConfig } from '../config.js';
import { extractionModel, extractionSettingsOf } from '../extraction/settings.js';
import type { ChatModel } from '../llm/base.js';

export interface ConsolidationDeps {
  db: Firestore;
  clock: Clock;
  /** The server's model settings and model; absent or null: no model (no extraction jobs, no reflection). */
  llm?: LlmConfig;
  model?: ChatModel | null;
  /** Test hook: called after each batch is recorded; a test stops a run "killed" between batches by throwing. */
  afterBatch?: (batch: number) => Promise<void>;
}

/** The model a run asks for this AI (its chat model, else the server's default), or null with none configured. */
export function runModel(deps: ConsolidationDeps, registry: DocumentData | undefined): string | null {
  if (!deps.llm || !deps.model?.isModel) return null;
  return extractionModel(registry, deps.llm, true);
}

/** Whether extraction runs for this AI: on in its settings, and a model configured. */
export function extractionState(
  deps: ConsolidationDeps,
  registry: DocumentData | undefined,
): { active: boolean; reason: 'off' | 'no_model' | null } {
  if (!extractionSettingsOf(registry).enabled) return { active: false, reason: 'off' };
  if (runModel(deps, registry) === null) return { active: false, reason: 'no_model' };
  return { active: true, reason: null };
}
