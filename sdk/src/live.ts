/**
 * @module live — follow one AI's memory in real time through the relay. The connection
 * reconnects by itself, and every (re)join asks for the events after the last one this client
 * saw, so a dropped connection or a restarted relay loses nothing and repeats nothing.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  MemoryUpdate,
  RelayedMessage,
  JoinResult,
  ServerToClientEvents,
  SocketError,
} from '@memory-weaver/protocol';

/** `since` for "from the first event": the id of event number 0, before every log's start. */
const START_OF_LOG = '000000000000';

export type LiveStatus =
  | { state: 'joined'; replayed: number }
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

  socket.on('connect', async () => {
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
      status({ state: 'joined', replayed: ack.replayed });
      markReady();
    } else {
      status({ state: 'error', error: ack.error });
    }
  });
  socket.on('memory_update', (update) => {
    lastEventId = update.event_id;
    options.onUpdate(update);
  });
  socket.on('message', (m) => options.onMessage?.(m));
  let closedByRoom = false;
  let closedByUs = false;
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
      socket.close();
    },
  };
}
