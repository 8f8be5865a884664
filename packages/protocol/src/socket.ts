/**
 * @module socket — the relay's Socket.IO contract (the seed's events, snake_case). Both the relay
 * (`new Server<ClientToServerEvents, ServerToClientEvents>`) and clients
 * (`Socket<ServerToClientEvents, ClientToServerEvents>`) are typed by these maps, and the relay
 * validates every incoming payload with the schemas below.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import type { MemoryEvent } from './events.js';
import { AiUuidSchema, MemoryIdSchema } from './memory.js';
import { storableProblem } from './json.js';

export const SOCKET_LIMITS = {
  /** Largest frame the relay accepts (Socket.IO `maxHttpBufferSize`). */
  maxFrameBytes: 64 * 1024,
  /** Largest `message` payload, as JSON. */
  maxMessageBytes: 16 * 1024,
  /** A socket that has not authenticated within this time is disconnected. */
  authTimeoutMs: 5_000,
} as const;

export const AuthenticateSchema = z.union([
  z.strictObject({ api_key: z.string().min(1).max(200) }),
  z.strictObject({ token: z.string().min(1).max(8192) }),
]);
export const JoinSchema = z.strictObject({
  ai_uuid: AiUuidSchema,
  /**
   * The id of the last event the client saw: replay everything after it first. `000000000000`
   * (event number 0, which no log holds) means "from the start of the log": a client that joined
   * an empty log (`last_event_id: null`) re-joins with it so that it misses nothing. Without
   * `since`, only events from now on are sent. A client more than the relay's replay limit behind
   * is refused with `resync_required` (see `SocketError.details`).
   */
  since: MemoryIdSchema.optional(),
});
export const LeaveSchema = z.strictObject({ ai_uuid: AiUuidSchema });
export const HeartbeatSchema = z.strictObject({}).optional();
export const MessageSchema = z.looseObject({ ai_uuid: AiUuidSchema }).superRefine((m, ctx) => {
  // What Firestore can store first: that also bounds the depth before the payload is serialised.
  const problem = storableProblem(m, 'a message');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (new TextEncoder().encode(JSON.stringify(m)).length > SOCKET_LIMITS.maxMessageBytes) {
    ctx.addIssue({
      code: 'custom',
      message: `a message must be at most ${String(SOCKET_LIMITS.maxMessageBytes)} bytes of JSON`,
    });
  }
});

export type AuthenticatePayload = z.infer<typeof AuthenticateSchema>;
export type JoinPayload = z.infer<typeof JoinSchema>;
export type LeavePayload = z.infer<typeof LeaveSchema>;
export type MessagePayload = z.infer<typeof MessageSchema>;

export interface SocketError {
  code: ErrorCode;
  message: string;
  /**
   * Machine-readable specifics, present only when the error has some. For `resync_required`:
   * `ResyncDetails`.
   */
  details?: unknown;
}

/**
 * Why a `join` was refused with `resync_required`, and where to resume: read the AI's memories
 * through the HTTP API, then join with `since: last_event_id`. Every change up to that event is in
 * what the HTTP API answers from then on, and the relay replays every change after it.
 */
export interface ResyncDetails {
  /** The event to resume from after the resync. */
  last_event_id: string;
  /** How many events the client was behind. */
  behind: number;
  /** The most events this relay replays on a join. */
  max_replay: number;
}
/** Every acknowledgement: never a thrown error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

export interface Identity {
  role: 'admin' | 'ai';
  /** For an AI client, its own AI; null for an administrator. */
  ai_uuid: string | null;
}

export interface JoinResult {
  ai_uuid: string;
  /** How many past events were replayed (after `since`) before live ones. */
  replayed: number;
  /**
   * The last event before the live ones (null: the log was empty). A client that has seen no
   * event yet keeps this as its position, so that a reconnect re-joins with `since` and misses
   * nothing; when it is null, that position is `000000000000` (the start of the log).
   */
  last_event_id: string | null;
}

/** A `memory_update`: one entry of the AI's event log. */
export type MemoryUpdate = MemoryEvent;

/** A `message` relayed from another client in the room. */
export interface RelayedMessage {
  ai_uuid: string;
  from: Identity & { socket_id: string };
  at: string;
  payload: Record<string, unknown>;
}

export interface ClientToServerEvents {
  authenticate: (payload: AuthenticatePayload, ack?: (res: Ack<Identity>) => void) => void;
  join: (payload: JoinPayload, ack?: (res: Ack<JoinResult>) => void) => void;
  leave: (payload: LeavePayload, ack?: (res: Ack<{ ai_uuid: string }>) => void) => void;
  heartbeat: (payload: Record<string, never> | undefined, ack?: (res: Ack<{ server_time: string }>) => void) => void;
  message: (payload: MessagePayload, ack?: (res: Ack<{ message_id: string }>) => void) => void;
}

export interface ServerToClientEvents {
  memory_update: (update: MemoryUpdate) => void;
  message: (message: RelayedMessage) => void;
  /** The AI was deleted or this client's key stopped working: the room is closed for it. */
  room_closed: (info: { ai_uuid: string; reason: 'ai_deleted' | 'key_revoked' }) => void;
}
