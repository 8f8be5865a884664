/**
 * @module tests/faults/cuttingProxy — a local TCP proxy that cuts connections at random, to show
 * what a flaky network does to clients that retry.
 *
 * A cut on a request's way in loses the request (or a part of it); a cut on a response's way back
 * loses an answer whose change the server has already committed, which is the case idempotent
 * retries exist for. The choices come from a seeded generator, so a failing run can be repeated.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { seeded } from '../support/random.js';

export interface CuttingProxy {
  url: string;
  /** How many connections were cut on the way in and on the way back. */
  readonly cuts: { requests: number; responses: number };
  close(): Promise<void>;
}

export interface CutOptions {
  upstreamPort: number;
  /** Chance that a chunk from the client cuts the connection before it is forwarded. */
  requestCut: number;
  /** Chance that a chunk from the server cuts the connection instead of reaching the client. */
  responseCut: number;
  seed: number;
}

export async function startCuttingProxy(options: CutOptions): Promise<CuttingProxy> {
  const random = seeded(options.seed);
  const cuts = { requests: 0, responses: 0 };
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(options.upstreamPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (random() < options.requestCut) {
        cuts.requests++;
        cut();
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (random() < options.responseCut) {
        cuts.responses++;
        cut();
      } else client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => {
        open.delete(s);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cuts,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
