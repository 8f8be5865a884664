/**
 * @module tests/fuzz/wire — raw HTTP requests for the fuzzers. `fetch` refuses what a fuzzer wants
 * to send (a body on a GET, a `content-encoding` it can't apply), so this uses `node:http`, which
 * still refuses what no HTTP/1.1 peer could parse: header values outside tab, 0x20–0x7E and
 * 0x80–0xFF, and paths with bytes outside 0x21–0xFF. The generators keep within those.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface WireRequest {
  method: string;
  /** Path and query, already percent-encoded as they go on the request line. */
  path: string;
  /** In order; a name may repeat. Values are sent as Latin-1 bytes. */
  headers: [string, string][];
  body?: Buffer;
}

export interface WireReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends one request and reads the whole answer (a server-sent event stream included). */
export function send(baseUrl: string, req: WireRequest, timeoutMs = 20_000): Promise<WireReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of req.headers) {
      const prior = headers[name];
      headers[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = request(
      { agent, host: url.hostname, port: url.port, method: req.method, path: req.path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Closes the kept-alive connections, so a test file ends without waiting on idle sockets. */
export function closeConnections(): void {
  agent.destroy();
}
