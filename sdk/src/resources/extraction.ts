/**
 * @module resources/extraction — memory that learns from conversations: the AI's extraction
 * settings, exchanges held elsewhere to learn from (`observe`), the extraction jobs and their
 * decisions, the review queue (review mode) and the daily hygiene counts.
 */
import type {
  ExtractionDecision,
  ExtractionJob,
  ExtractionJobPage,
  ExtractionStatus,
  Hygiene,
  ObserveAccepted,
  ObserveBody,
  ReviewOutcome,
  ReviewPage,
  UpdateExtractionSettings,
} from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';
import type { ListExtractionsQuery } from '../types.js';

const ai = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}`;

export const extractionMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/extraction`: the settings, and whether extraction runs. */
  getExtractionStatus: (aiUuid: string): Promise<ExtractionStatus> => t.json('GET', `${ai(aiUuid)}/extraction`),

  /** `PATCH /v1/ais/{ai_uuid}/extraction`: on/off, instructions, target tier, review mode, personal data. */
  updateExtractionSettings: (aiUuid: string, change: UpdateExtractionSettings): Promise<ExtractionStatus> =>
    t.json('PATCH', `${ai(aiUuid)}/extraction`, { body: change }),

  /** `GET /v1/ais/{ai_uuid}/extraction/hygiene`: what extraction decided, per day, for the last `days`. */
  getHygiene: (aiUuid: string, query: { days?: number } = {}): Promise<Hygiene> =>
    t.json('GET', `${ai(aiUuid)}/extraction/hygiene`, { query }),

  /** `POST /v1/ais/{ai_uuid}/observe`: learn from an exchange held elsewhere (202: the job is queued). */
  observe: (aiUuid: string, exchange: ObserveBody): Promise<ObserveAccepted> =>
    t.json('POST', `${ai(aiUuid)}/observe`, { body: exchange }),

  /** `GET /v1/ais/{ai_uuid}/extractions`: the jobs, newest first, by page. */
  listExtractions: (aiUuid: string, page: ListExtractionsQuery = {}): Promise<ExtractionJobPage> =>
    t.json('GET', `${ai(aiUuid)}/extractions`, { query: page }),

  /** `GET /v1/ais/{ai_uuid}/extractions/{extraction_id}`: status, counts and decisions. */
  getExtraction: (aiUuid: string, extractionId: string): Promise<ExtractionJob> =>
    t.json('GET', `${ai(aiUuid)}/extractions/${segment(extractionId)}`),

  /** `POST …/extractions/{extraction_id}/retry`: a failed job runs again from where it stopped. */
  retryExtraction: (aiUuid: string, extractionId: string): Promise<ObserveAccepted> =>
    t.json('POST', `${ai(aiUuid)}/extractions/${segment(extractionId)}/retry`),

  /**
   * `POST …/extractions/{extraction_id}/decisions/{index}/undo`: an added memory is deleted, a
   * supersede reversed, a duplicate or rejected candidate kept after all. A second undo is a 409.
   */
  undoExtractionDecision: (aiUuid: string, extractionId: string, index: number): Promise<ExtractionDecision> =>
    t.json('POST', `${ai(aiUuid)}/extractions/${segment(extractionId)}/decisions/${String(index)}/undo`),

  /** `GET /v1/ais/{ai_uuid}/review`: candidates waiting for a decision (review mode). */
  listReview: (aiUuid: string): Promise<ReviewPage> => t.json('GET', `${ai(aiUuid)}/review`),

  /** `POST …/review/{review_id}/approve`: the candidate's proposed decision is applied. */
  approveReview: (aiUuid: string, reviewId: string): Promise<ReviewOutcome> =>
    t.json('POST', `${ai(aiUuid)}/review/${segment(reviewId)}/approve`),

  /** `POST …/review/{review_id}/reject`: nothing is stored. */
  rejectReview: (aiUuid: string, reviewId: string): Promise<ReviewOutcome> =>
    t.json('POST', `${ai(aiUuid)}/review/${segment(reviewId)}/reject`),
});
export type ExtractionMethods = ReturnType<typeof extractionMethods>;
