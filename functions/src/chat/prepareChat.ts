/**
 * @module chat/prepareChat — everything a completion needs before the model is called: which AI
 * and session, which model (within the allowlist), the assembled context, and the request to
 * send upstream. Validation errors surface here, before any response has started.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import type {
  ChatCompletionRequest,
  ExtractionSettings,
  MemoryWeaverInfo,
  SummarySettings,
} from '@memory-weaver/protocol';
import { aiRef, invalidArgument, isLive, notFound, requestedAi, type Principal } from '@memory-weaver/core';
import type { LlmConfig } from '../config.js';
import type { Embedder } from '../embeddings/base.js';
import type { ChatModel, ModelMessage, ModelRequest } from '../llm/base.js';
import { RECALL_ONLY_MODEL, createRecallOnlyModel } from '../llm/recallOnly.js';
import { aiSettingsOf } from '../ai/record.js';
import { extractionSettingsOf } from '../extraction/settings.js';
import { summarySettingsOf } from '../consolidation/summaries/settings.js';
import type { AiIndexes } from '../search/aiIndexes.js';
import { assembleContext, messageText, type AiSettings, type AssembledContext } from './context.js';
import { openSession } from './sessions.js';

/** Request fields forwarded to the model as the client gave them. */
const FORWARDED = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'user',
] as const;

export interface ChatDeps {
  db: Firestore;
  embedder: Embedder;
  /** This instance's search indexes (search/aiIndexes.ts). */
  indexes: AiIndexes;
  llm: LlmConfig;
  /** The configured model, or null for recall-only mode. */
  model: ChatModel | null;
}

export interface PreparedChat {
  aiUuid: string;
  sessionId: string;
  model: ChatModel;
  request: ModelRequest;
  context: AssembledContext;
  info: MemoryWeaverInfo;
  /** The user's message, as stored with the turn. */
  message: string;
  /** How the exchange is learnt from after it is stored; null when extraction is off for this chat. */
  extraction: { settings: ExtractionSettings; model: string } | null;
  /** Every how many turns the session is summarised, and by which model; null when summaries are off for this chat. */
  summary: { everyTurns: number; model: string } | null;
}

export async function loadAiSettings(
  db: Firestore,
  aiUuid: string,
): Promise<AiSettings & { model: string | null; extraction: ExtractionSettings; summaries: SummarySettings }> {
  const data = (await aiRef(db, aiUuid).get()).data();
  if (!isLive(data)) throw notFound('AI instance');
  const settings = aiSettingsOf(data);
  return {
    name: String(data.name),
    instructions: settings.instructions,
    contextTokens: settings.context_tokens,
    model: settings.model,
    extraction: extractionSettingsOf(data),
    summaries: summarySettingsOf(data),
  };
}

export async function prepareChat(
  deps: ChatDeps,
  principal: Principal,
  body: ChatCompletionRequest,
): Promise<PreparedChat> {
  const aiUuid = requestedAi(principal, body.ai_uuid);
  const settings = await loadAiSettings(deps.db, aiUuid);
  // A key can't continue (or read through the history) a session an administrator opened.
  const session = body.session_id ? await openSession(deps.db, principal, aiUuid, body.session_id) : null;
  const sessionId = session?.id ?? randomUUID().replace(/-/g, '');
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!lastUser || messageText(lastUser).trim() === '') {
    throw invalidArgument('messages must include a user message with text', { field: 'messages' });
  }

  const modelName = deps.model ? (body.model ?? settings.model ?? deps.llm.defaultModel) : RECALL_ONLY_MODEL;
  if (deps.model && !deps.llm.allowedModels.includes(modelName)) {
    throw invalidArgument(`model "${modelName}" is not allowed here`, {
      field: 'model',
      allowed: deps.llm.allowedModels,
    });
  }
  const context = await assembleContext(deps, deps.db, aiUuid, settings, session?.id ?? null, body.messages);
  // The stored history is inside the system message, as quoted data (see context.ts).
  const messages: ModelMessage[] = [
    { role: 'system', content: context.system },
    ...body.messages.map((m) => ({ role: m.role, content: messageText(m) })),
  ];
  const options = Object.fromEntries(FORWARDED.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
  const recall = context.used.map((u) => u.content);
  return {
    aiUuid,
    sessionId,
    model: deps.model ?? createRecallOnlyModel(() => recall),
    request: { model: modelName, messages, options },
    context,
    message: messageText(lastUser),
    // Extraction asks the model the chat used; recall-only mode has no model to ask.
    extraction: deps.model && settings.extraction.enabled ? { settings: settings.extraction, model: modelName } : null,
    // Summaries too ask the chat's model; without one (recall-only) sessions keep their raw turns.
    summary:
      deps.model && settings.summaries.enabled
        ? { everyTurns: settings.summaries.every_turns, model: modelName }
        : null,
    info: {
      session_id: sessionId,
      ai_uuid: aiUuid,
      recall_only: !deps.model,
      memories_used: context.used.map(({ content: _content, ...u }) => u),
    },
  };
}
