/**
 * @module socket — the relay's Socket.IO contract (the seed's events, snake_case). Both the relay
 * (`new Server<ClientToServerEvents, ServerToClientEvents>`) and clients
 * (`Socket<ServerToClientEvents, ClientToServerEvents>`) are typed by these maps, and the relay
 * validates every incoming payload with the schemas below.
 */
import { z } from 'zod';
import { ErrorCodeSchema } from './errors.js';
import { MemoryEventSchema, type MemoryEvent } from './events.js';
import { AiUuidSchema, MemoryIdSchema, TimeSchema } from './memory.js';
import { storableProblem } from './json.js';
import { named } from './registry.js';

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

export const SocketErrorSchema = named(
  'SocketError',
  z.strictObject({
    code: ErrorCodeSchema,
    message: z.string(),
    /**
     * Machine-readable specifics, present only when the error has some. For `resync_required`:
     * `ResyncDetails`.
     */
    details: z.unknown().optional(),
  }),
);
export type SocketError = z.infer<typeof SocketErrorSchema>;

/**
 * Why a `join` was refused with `resync_required`, and where to resume: read the AI's memories
 * through the HTTP API, then join with `since: last_event_id`. Every change up to that event is in
 * what the HTTP API answers from then on, and the relay replays every change after it.
 */
export const ResyncDetailsSchema = named(
  'ResyncDetails',
  z.strictObject({
    /** The event to resume from after the resync. */
    last_event_id: z.string(),
    /** How many events the client was behind. */
    behind: z.int(),
    /** The most events this relay replays on a join. */
    max_replay: z.int(),
  }),
);
export type ResyncDetails = z.infer<typeof ResyncDetailsSchema>;

/** Every acknowledgement: never a thrown error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

/** The schema of an acknowledgement whose success carries `data`'s fields. */
export const ackSchema = <T extends z.ZodRawShape>(data: T) =>
  z.union([
    z.strictObject({ ok: z.literal(true), ...data }),
    z.strictObject({ ok: z.literal(false), error: SocketErrorSchema }),
  ]);

export const IdentitySchema = named(
  'Identity',
  z.strictObject({
    role: z.enum(['admin', 'ai']),
    /** For an AI client, its own AI; null for an administrator. */
    ai_uuid: z.string().nullable(),
  }),
);
export type Identity = z.infer<typeof IdentitySchema>;

export const JoinResultSchema = named(
  'JoinResult',
  z.strictObject({
    ai_uuid: z.string(),
    /** How many past events were replayed (after `since`) before live ones. */
    replayed: z.int().min(0),
    /**
     * The last event before the live ones (null: the log was empty). A client that has seen no
     * event yet keeps this as its position, so that a reconnect re-joins with `since` and misses
     * nothing; when it is null, that position is `000000000000` (the start of the log).
     */
    last_event_id: z.string().nullable(),
  }),
);
export type JoinResult = z.infer<typeof JoinResultSchema>;

/** Each acknowledgement's schema, by the event it answers. */
export const AckSchemas = {
  authenticate: ackSchema(IdentitySchema.shape),
  join: ackSchema(JoinResultSchema.shape),
  leave: ackSchema({ ai_uuid: z.string() }),
  heartbeat: ackSchema({ server_time: TimeSchema }),
  message: ackSchema({ message_id: z.string() }),
} as const;

/** A `memory_update`: one entry of the AI's event log. */
export const MemoryUpdateSchema = MemoryEventSchema;
export type MemoryUpdate = MemoryEvent;

/** A `message` relayed from another client in the room. */
export const RelayedMessageSchema = named(
  'RelayedMessage',
  z.strictObject({
    ai_uuid: z.string(),
    from: z.strictObject({ ...IdentitySchema.shape, socket_id: z.string() }),
    at: TimeSchema,
    payload: z.record(z.string(), z.unknown()),
  }),
);
export type RelayedMessage = z.infer<typeof RelayedMessageSchema>;

/** The AI was deleted or this client's key stopped working: the room is closed for it. */
export const RoomClosedSchema = named(
  'RoomClosed',
  z.strictObject({ ai_uuid: z.string(), reason: z.enum(['ai_deleted', 'key_revoked']) }),
);
export type RoomClosed = z.infer<typeof RoomClosedSchema>;

/** What the relay sends, by event: a test client checks every payload it receives against these. */
export const ServerEventSchemas = {
  memory_update: MemoryUpdateSchema,
  message: RelayedMessageSchema,
  room_closed: RoomClosedSchema,
} as const;

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
  room_closed: (info: RoomClosed) => void;
}
