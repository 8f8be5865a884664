/**
 * @module client — `MemoryWeaverClient`: one typed method per endpoint of the API, composed from
 * the resource modules (resources/*.ts), all sharing one Transport (credential, retries,
 * idempotency keys, typed errors).
 */
import { aiMethods, type AiMethods } from './resources/ais.js';
import { brainMethods, type BrainMethods } from './resources/brain.js';
import { chatMethods, type ChatMethods } from './resources/chat.js';
import { consolidationMethods, type ConsolidationMethods } from './resources/consolidation.js';
import { summaryMethods, type SummaryMethods } from './resources/summaries.js';
import { eventMethods, type EventMethods } from './resources/events.js';
import { extractionMethods, type ExtractionMethods } from './resources/extraction.js';
import { keyMethods, type KeyMethods } from './resources/keys.js';
import { encryptionMethods, type EncryptionMethods } from './resources/encryption.js';
import { legacyMethods, type LegacyMethods } from './resources/legacy.js';
import { memoryMethods, type MemoryMethods } from './resources/memories.js';
import { metaMethods, type MetaMethods } from './resources/meta.js';
import { recallMethods, type RecallMethods } from './resources/recall.js';
import { sessionMethods, type SessionMethods } from './resources/sessions.js';
import { Transport, type ClientOptions } from './transport.js';

// The class gets its methods from the resource modules at construction; this interface (merged
// with the class by name) gives them their types. Each module's type is `ReturnType` of the
// function that makes its methods, so the two can't disagree.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- reason: the mixin pattern described above
export interface MemoryWeaverClient
  extends
    MetaMethods,
    AiMethods,
    KeyMethods,
    EncryptionMethods,
    MemoryMethods,
    LegacyMethods,
    EventMethods,
    RecallMethods,
    SessionMethods,
    ChatMethods,
    ExtractionMethods,
    BrainMethods,
    ConsolidationMethods,
    SummaryMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- reason: the mixin pattern described above
export class MemoryWeaverClient {
  readonly baseUrl: string;

  constructor(options: ClientOptions) {
    const t = new Transport(options);
    this.baseUrl = t.baseUrl;
    Object.assign(
      this,
      metaMethods(t),
      aiMethods(t),
      keyMethods(t),
      encryptionMethods(t),
      memoryMethods(t),
      legacyMethods(t),
      eventMethods(t),
      recallMethods(t),
      sessionMethods(t),
      chatMethods(t),
      extractionMethods(t),
      brainMethods(t),
      consolidationMethods(t),
      summaryMethods(t),
    );
  }
}
