/**
 * @module live — follow one AI's memory in real time through the relay. The connection
 * reconnects by itself, and every (re)join asks for the events after the last one this client
 * saw, so a dropped connection or a restarted relay loses nothing and repeats nothing.
 *
 * A client further behind than the relay replays is refused with `resync_required`: the app
 * re-reads the state through the HTTP API (`onResync`), then the follower joins again from the
 * refusal's `last_event_id`, after which the relay sends every change the re-read may not show.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  MemoryUpdate,
  RelayedMessage,
  JoinResult,
  ResyncDetails,
  ServerToClientEvents,
  SocketError,
} from '@memory-weaver/protocol';

/** `since` for "from the first event": the id of event number 0, before every log's start. */
const START_OF_LOG = '000000000000';
const EVENT_ID = /^\d{12}$/;
/** Waits before calling a failed `onResync` again: doubling from the first, up to the last. */
const RESYNC_RETRY_MS = [1_000, 30_000] as const;

export type LiveStatus =
  | { state: 'joined'; replayed: number }
  /**
   * The relay refused to replay this far back (`resync_required`): the events up to
   * `details.last_event_id` won't come as updates. `onResync` is running (or, without one, the
   * follower skips to that event); a `joined` follows once the follower has joined from there.
   */
  | { state: 'resync'; details: ResyncDetails }
  | { state: 'disconnected'; reason: string }
  | { state: 'error'; error: SocketError }
  | { state: 'closed'; reason: 'ai_deleted' | 'key_revoked' };

export interface LiveOptions {
  relayUrl: string;
  /** The AI's key, or `token` for an administrator. */
  apiKey?: string;
  /**
   * An administrator's ID token, or a function that returns a current one. The relay closes a
   * socket when its token expires (an hour at most); with a function, the reconnect gets a fresh one.
   */
  token?: string | (() => Promise<string>);
  aiUuid: string;
  /** Resume after this event id (e.g. one saved from an earlier run). */
  since?: string;
  onUpdate: (update: MemoryUpdate) => void;
  onMessage?: (message: RelayedMessage) => void;
  onStatus?: (status: LiveStatus) => void;
  /**
   * Called when this client is further behind than the relay replays (after a long time offline,
   * or with an old `since`): re-read what you need through the HTTP API here (the client's
   * `listMemories`, say). Once it resolves, the follower joins again with `since:
   * details.last_event_id`, so every change after what you read arrives through `onUpdate`. If it
   * throws or rejects, it is called again later (1 s, doubling up to 30 s) while connected.
   *
   * Without it, the follower skips the gap: it reports `{ state: 'resync', details }` through
   * `onStatus` and goes on from `details.last_event_id`, so the events in between never reach
   * `onUpdate`.
   */
  onResync?: (details: ResyncDetails) => void | Promise<void>;
  /** How often to send a heartbeat; 0 turns it off. */
  heartbeatMs?: number;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface Live {
  /** The id of the last event delivered to onUpdate. */
  readonly lastEventId: string | undefined;
  /** Resolves on the first successful join. */
  readonly ready: Promise<void>;
  /** Sends a `message` to the other clients of this AI. */
  send(payload: Record<string, unknown>): Promise<Ack<{ message_id: string }>>;
  close(): void;
}

export function follow(options: LiveOptions): Live {
  const { token } = options;
  const auth = options.apiKey
    ? { api_key: options.apiKey }
    : typeof token === 'function'
      ? (send: (data: object) => void) => {
          token().then(
            (t) => send({ token: t }),
            () => send({ token: '' }),
          );
        }
      : { token: token ?? '' };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(options.relayUrl, {
    auth,
    transports: ['websocket'],
    reconnectionDelay: 250,
    reconnectionDelayMax: 2_000,
    ...options.socketOptions,
  });
  let lastEventId = options.since;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const status = options.onStatus ?? (() => {});

  let closedByRoom = false;
  let closedByUs = false;
  // While the app resyncs, a reconnect doesn't join (it would be refused again): the resync joins
  // when it is done, on whatever connection is up then.
  let resyncing = false;
  let resyncFailures = 0;
  let resyncRetry: ReturnType<typeof setTimeout> | undefined;

  const join = async (): Promise<void> => {
    const ack = (await socket
      .timeout(15_000)
      .emitWithAck('join', { ai_uuid: options.aiUuid, ...(lastEventId ? { since: lastEventId } : {}) })
      .catch(() => ({
        ok: false as const,
        error: { code: 'unavailable' as const, message: 'join timed out' },
      }))) as Ack<JoinResult>;
    if (ack.ok) {
      // A client that has seen no event yet keeps where the live events started, so that a
      // reconnect replays what happened in between; on an empty log that is the log's start.
      lastEventId ??= ack.last_event_id ?? START_OF_LOG;
      resyncFailures = 0;
      status({ state: 'joined', replayed: ack.replayed });
      markReady();
      return;
    }
    const details = ack.error.code === 'resync_required' ? resyncDetailsOf(ack.error.details) : null;
    if (details) await resync(details, ack.error);
    else status({ state: 'error', error: ack.error });
  };

  const resync = async (details: ResyncDetails, error: SocketError): Promise<void> => {
    resyncing = true;
    status({ state: 'resync', details });
    try {
      await options.onResync?.(details);
    } catch (err) {
      resyncing = false;
      const reason = err instanceof Error ? err.message : String(err);
      status({ state: 'error', error: { ...error, message: `onResync failed: ${reason}` } });
      // Join again later with the same `since`: still too far behind, so onResync runs again.
      const [first, most] = RESYNC_RETRY_MS;
      const wait = Math.min(first * 2 ** resyncFailures, most);
      resyncFailures += 1;
      resyncRetry = setTimeout(() => {
        if (socket.connected && !closedByUs && !resyncing) void join();
      }, wait);
      return;
    }
    resyncing = false;
    if (closedByUs) return;
    // The app has read the state after the refusal, which holds every change up to this event.
    lastEventId = details.last_event_id;
    // Not connected: the next connect joins from here.
    if (socket.connected) await join();
  };

  socket.on('connect', () => {
    if (resyncRetry) clearTimeout(resyncRetry);
    if (!resyncing) void join();
  });
  socket.on('memory_update', (update) => {
    lastEventId = update.event_id;
    options.onUpdate(update);
  });
  socket.on('message', (m) => options.onMessage?.(m));
  socket.on('room_closed', (info) => {
    closedByRoom = true;
    status({ state: 'closed', reason: info.reason });
  });
  socket.on('disconnect', (reason) => {
    status({ state: 'disconnected', reason });
    // Socket.IO doesn't reconnect after a server-side disconnect; the relay does that when it
    // can't feed a room any more, so connect again (and re-join with `since`) unless the room
    // was closed for good.
    if (reason === 'io server disconnect' && !closedByRoom && !closedByUs) setTimeout(() => socket.connect(), 1_000);
  });
  socket.on('connect_error', (err) => {
    const data = (err as { data?: SocketError }).data;
    status({ state: 'error', error: data ?? { code: 'unavailable', message: err.message } });
  });

  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const heartbeat =
    heartbeatMs > 0
      ? setInterval(() => {
          if (socket.connected) socket.emit('heartbeat', {});
        }, heartbeatMs)
      : undefined;

  return {
    get lastEventId() {
      return lastEventId;
    },
    ready,
    send: async (payload) =>
      (await socket.timeout(15_000).emitWithAck('message', { ...payload, ai_uuid: options.aiUuid })) as Ack<{
        message_id: string;
      }>,
    close() {
      closedByUs = true;
      if (heartbeat) clearInterval(heartbeat);
      if (resyncRetry) clearTimeout(resyncRetry);
      socket.close();
    },
  };
}

/** A `resync_required` refusal's details, if they say where to resume. */
function resyncDetailsOf(details: unknown): ResyncDetails | null {
  if (typeof details !== 'object' || details === null) return null;
  const d = details as Partial<Record<keyof ResyncDetails, unknown>>;
  if (typeof d.last_event_id !== 'string' || !EVENT_ID.test(d.last_event_id)) return null;
  return {
    last_event_id: d.last_event_id,
    behind: typeof d.behind === 'number' ? d.behind : 0,
    max_replay: typeof d.max_replay === 'number' ? d.max_replay : 0,
  };
}
