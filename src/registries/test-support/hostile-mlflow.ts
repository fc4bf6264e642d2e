/**
 * A FAKE MLflow server on 127.0.0.1, for hostile answers only: garbage, wrong shapes, oversized or endless bodies,
 * redirects, silence, path-traversal artifact names. Everything an honest MLflow does is tested against the real
 * server (`mlflow-server.ts`); this fake exists because no honest server misbehaves on demand.
 *
 * @example
 * const fake = await startHostileMlflow();
 * fake.route('GET', '/api/2.0/mlflow/model-versions/get', (req, res) => res.end('not json'));
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Answers one request. */
export type FakeHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

/** A running fake. */
export interface HostileMlflow {
  readonly trackingUri: string;
  /** Requests received, as `METHOD /path?query`. */
  readonly requests: string[];
  /** Sets the handler of `METHOD pathname` (replacing any earlier one); unrouted requests get 404 HTML. */
  route(method: string, pathname: string, handler: FakeHandler): void;
  /** Removes every route and forgets the requests. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startHostileMlflow(): Promise<HostileMlflow> {
  const routes = new Map<string, FakeHandler>();
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const handler = routes.get(`${request.method} ${url.pathname}`);
    if (handler === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
      return;
    }
    handler(request, response, url);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    trackingUri: `http://127.0.0.1:${port}`,
    requests,
    route: (method, pathname, handler) => {
      routes.set(`${method} ${pathname}`, handler);
    },
    reset: () => {
      routes.clear();
      requests.length = 0;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers JSON with a status (200 by default). */
export function json(body: unknown, status = 200): FakeHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
}

/** Answers raw text with a status. */
export function text(body: string, status = 200, contentType = 'application/json'): FakeHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': contentType }).end(body);
  };
}

/** A well-formed model version, as MLflow 3 spells it. */
export function modelVersion(name: string, version: string, extra: Record<string, unknown> = {}): unknown {
  return {
    model_version: {
      name,
      version,
      creation_timestamp: 1_700_000_000_000,
      last_updated_timestamp: 1_700_000_000_000,
      current_stage: 'None',
      description: '',
      source: 'mlflow-artifacts:/1/run/artifacts/model',
      run_id: 'run',
      status: 'READY',
      ...extra,
    },
  };
}
