/**
 * @module api — the HTTP API as the signed-in administrator. Every call goes through one typed
 * method of `@memory-weaver/sdk`: no path and no response shape is written here.
 */
import type { User } from 'firebase/auth';
import {
  MemoryWeaverClient,
  type AiInstance,
  type ApiKeyIssued,
  type ChatSession,
  type ContextPreview,
  type HandshakeResponse,
  type MemoryEvent,
  type MemoryPage,
  type MemoryType,
  type OpenApiDocument,
  type SearchHit,
  type SearchMode,
  type UpdateAiBody,
} from '@memory-weaver/sdk';
import type {
  ExtractionDecision,
  ExtractionJob,
  ExtractionStatus,
  Hygiene,
  MemoryVersions,
  ReviewItem,
  ReviewOutcome,
  UpdateExtractionSettings,
  ImportReport,
} from '@memory-weaver/protocol';
import type {
  ConsolidationRun,
  ConsolidationSettings,
  ConsolidationUndo,
  ProposalsAccepted,
  UpdateConsolidationSettings,
} from '@memory-weaver/protocol';
import type { ExportOptions as BrainExportOptions, ImportOptions as BrainImportOptions } from '@memory-weaver/sdk';

export type { BrainExportOptions, BrainImportOptions, ImportReport };

export type { AiInstance, MemoryType };

export class Api {
  private readonly client: MemoryWeaverClient;

  constructor(private readonly user: User) {
    // A function, not a token: each request asks Firebase Auth, which refreshes the ID token
    // when it nears expiry.
    this.client = new MemoryWeaverClient({
      baseUrl: window.location.origin,
      apiKey: () => this.token(),
      maxRetries: 1,
    });
  }

  async token(): Promise<string> {
    return this.user.getIdToken();
  }

  async listAis(): Promise<AiInstance[]> {
    return (await this.client.listAis({ limit: 100 })).ais;
  }
  createAi(name: string): Promise<HandshakeResponse> {
    return this.client.createAi(name);
  }
  updateAi(aiUuid: string, change: UpdateAiBody): Promise<AiInstance> {
    return this.client.updateAi(aiUuid, change);
  }
  async deleteAi(aiUuid: string): Promise<void> {
    await this.client.deleteAi(aiUuid);
  }
  rotateKey(aiUuid: string): Promise<ApiKeyIssued> {
    return this.client.rotateKey(aiUuid);
  }
  async revokeKey(aiUuid: string): Promise<void> {
    await this.client.revokeKey(aiUuid);
  }
  async stats(aiUuid: string): Promise<Record<MemoryType, number>> {
    return (await this.client.getStats(aiUuid)).memory_counts;
  }
  memories(aiUuid: string, tier: MemoryType, q: string, cursor?: string): Promise<MemoryPage> {
    return this.client.listMemories(aiUuid, tier, {
      limit: 20,
      ...(q ? { q } : {}),
      ...(cursor ? { cursor } : {}),
    });
  }
  createMemory(aiUuid: string, tier: MemoryType, content: string, metadata: Record<string, unknown>) {
    return this.client.createMemory(aiUuid, tier, content, metadata);
  }
  editMemory(aiUuid: string, tier: MemoryType, id: string, content: string) {
    return this.client.editMemory(aiUuid, tier, id, { content });
  }
  deleteMemory(aiUuid: string, tier: MemoryType, id: string) {
    return this.client.deleteMemory(aiUuid, tier, id);
  }
  moveMemory(aiUuid: string, from: MemoryType, id: string, to: MemoryType) {
    return this.client.moveMemory(aiUuid, from, id, to);
  }
  async events(aiUuid: string): Promise<MemoryEvent[]> {
    return (await this.client.listEvents(aiUuid, { limit: 500 })).events;
  }
  async search(aiUuid: string, query: string, mode: SearchMode = 'hybrid'): Promise<SearchHit[]> {
    return (await this.client.search(aiUuid, query, { limit: 10, mode })).results;
  }
  async sessions(aiUuid: string): Promise<ChatSession[]> {
    return (await this.client.listSessions(aiUuid)).sessions;
  }
  context(aiUuid: string, message: string, sessionId?: string): Promise<ContextPreview> {
    return this.client.previewContext(aiUuid, [{ role: 'user', content: message }], sessionId);
  }
  // Memory that learns (extraction): settings, jobs and their decisions, the review queue, hygiene.
  extractionStatus(aiUuid: string): Promise<ExtractionStatus> {
    return this.client.getExtractionStatus(aiUuid);
  }
  updateExtraction(aiUuid: string, change: UpdateExtractionSettings): Promise<ExtractionStatus> {
    return this.client.updateExtractionSettings(aiUuid, change);
  }
  hygiene(aiUuid: string, days = 14): Promise<Hygiene> {
    return this.client.getHygiene(aiUuid, { days });
  }
  async extractions(aiUuid: string): Promise<ExtractionJob[]> {
    return (await this.client.listExtractions(aiUuid, { limit: 20 })).extractions;
  }
  extraction(aiUuid: string, extractionId: string): Promise<ExtractionJob> {
    return this.client.getExtraction(aiUuid, extractionId);
  }
  async retryExtraction(aiUuid: string, extractionId: string): Promise<void> {
    await this.client.retryExtraction(aiUuid, extractionId);
  }
  undoDecision(aiUuid: string, extractionId: string, index: number): Promise<ExtractionDecision> {
    return this.client.undoExtractionDecision(aiUuid, extractionId, index);
  }
  async review(aiUuid: string): Promise<ReviewItem[]> {
    return (await this.client.listReview(aiUuid)).items;
  }
  approveReview(aiUuid: string, reviewId: string): Promise<ReviewOutcome> {
    return this.client.approveReview(aiUuid, reviewId);
  }
  rejectReview(aiUuid: string, reviewId: string): Promise<ReviewOutcome> {
    return this.client.rejectReview(aiUuid, reviewId);
  }
  memoryVersions(aiUuid: string, tier: MemoryType, id: string): Promise<MemoryVersions> {
    return this.client.listMemoryVersions(aiUuid, tier, id);
  }
  restoreVersion(aiUuid: string, tier: MemoryType, id: string, versionId: string) {
    return this.client.restoreMemoryVersion(aiUuid, tier, id, versionId);
  }

  // A whole AI as a `.brain` file (functions/src/brain/README.md).
  exportBrain(aiUuid: string, options: BrainExportOptions): Promise<string> {
    return this.client.exportBrain(aiUuid, options);
  }
  /** Into this AI (`aiUuid`), or into a new AI when it is null. */
  importBrain(aiUuid: string | null, text: string, options: BrainImportOptions): Promise<ImportReport> {
    return aiUuid ? this.client.importIntoAi(aiUuid, text, options) : this.client.importBrain(text, options);
  }

  openApi(): Promise<OpenApiDocument> {
    return this.client.openApi();
  }

  // Consolidation: settings, a dry run and its execution, the runs, undo, accepting proposals.
  consolidationSettings(aiUuid: string): Promise<ConsolidationSettings> {
    return this.client.getConsolidationSettings(aiUuid);
  }
  updateConsolidationSettings(aiUuid: string, change: UpdateConsolidationSettings): Promise<ConsolidationSettings> {
    return this.client.updateConsolidationSettings(aiUuid, change);
  }
  previewConsolidation(aiUuid: string): Promise<ConsolidationRun> {
    return this.client.consolidate(aiUuid, { dry_run: true });
  }
  executeConsolidation(aiUuid: string, runId: string): Promise<ConsolidationRun> {
    return this.client.consolidate(aiUuid, { run_id: runId });
  }
  async consolidations(aiUuid: string): Promise<ConsolidationRun[]> {
    return (await this.client.listConsolidations(aiUuid, { limit: 10 })).runs;
  }
  undoConsolidation(aiUuid: string, runId: string): Promise<ConsolidationUndo> {
    return this.client.undoConsolidation(aiUuid, runId);
  }
  acceptProposals(aiUuid: string, runId: string, memoryIds: string[]): Promise<ProposalsAccepted> {
    return this.client.acceptConsolidationProposals(aiUuid, runId, memoryIds);
  }

  /** Streams a chat answer (OpenAI's chunks); resolves with the session id. */
  async chat(
    aiUuid: string,
    message: string,
    sessionId: string | undefined,
    onText: (t: string) => void,
  ): Promise<string> {
    const stream = await this.client.streamChatCompletion({
      ai_uuid: aiUuid,
      messages: [{ role: 'user', content: message }],
      ...(sessionId ? { session_id: sessionId } : {}),
    });
    let session = stream.sessionId ?? sessionId ?? '';
    for await (const chunk of stream) {
      if (chunk.memory_weaver) session = chunk.memory_weaver.session_id;
      const text = chunk.choices[0]?.delta.content;
      if (text) onText(text);
    }
    return session;
  }
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
