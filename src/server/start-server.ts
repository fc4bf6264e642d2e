import type { FastifyInstance } from 'fastify';
import { buildServer } from './build-server.js';
import type { DocketServices, ServerOptions } from './server-options.js';

/** A listening docket server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Builds the server and starts listening on `host:port` (port 0: any free port).
 *
 * @example
 * const server = await startServer(services, { publicUrl, host: '127.0.0.1', port: 8080 });
 * await server.close();
 */
export async function startServer(
  services: DocketServices,
  options: ServerOptions & { readonly host: string; readonly port: number },
): Promise<RunningServer> {
  const app = await buildServer(services, options);
  const address = await app.listen({ host: options.host, port: options.port });
  return { app, address, close: () => app.close() };
}
