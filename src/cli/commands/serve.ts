import type { Command } from 'commander';
import { DocketError } from '../../errors/index.js';
import { anchorTargets, type Docket } from '../../home/index.js';
import type { PromotionContext } from '../../promotion/index.js';
import type { LoginOptions } from '../../server/index.js';
import { withDocket } from '../context.js';
import { CliErrorCode } from '../errors.js';

interface ServeOptions {
  host: string;
  port: string;
  publicUrl?: string;
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcResource?: string;
  maxUploadBytes?: string;
  logLevel: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and the approver web UI until interrupted')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--public-url <url>', 'the origin people reach the server at (default: http://<host>:<port>)')
    .option('--oidc-issuer <url>', "the UI's OpenID Provider (default: the home's only configured issuer)")
    .option(
      '--oidc-client-id <id>',
      "the UI's client id at the provider (default: $DOCKET_OIDC_CLIENT_ID; secret: $DOCKET_OIDC_CLIENT_SECRET)",
    )
    .option('--oidc-resource <uri>', "resource indicator to ask tokens for (default: the home's audience)")
    .option('--max-upload-bytes <n>', 'largest artefact upload accepted')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(async (opts: ServeOptions, command: Command) => {
      await withDocket(command, async (docket, out) => {
        const port = wholeNumber(opts.port, '--port');
        const publicUrl =
          opts.publicUrl ?? `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
        const login = loginOptions(docket, opts);
        const maxUpload =
          opts.maxUploadBytes === undefined
            ? undefined
            : wholeNumber(opts.maxUploadBytes, '--max-upload-bytes');
        // Fastify and the UI load only for `serve`: every other command starts faster without them.
        const { startServer } = await import('../../server/index.js');
        const server = await startServer(
          {
            approvals: docket.approvals,
            promotion: lazyPromotion(docket),
            anchors: anchorTargets(docket.home, docket.config.anchors ?? []),
          },
          {
            host: opts.host,
            port,
            publicUrl,
            ...(login === undefined ? {} : { login }),
            ...(maxUpload === undefined ? {} : { limits: { uploadBytes: maxUpload } }),
            logger: { level: opts.logLevel },
          },
        );
        out.info(
          `docket serving ${docket.home} at ${server.address} (UI and API; OpenAPI at /api/v1/openapi.json)`,
        );
        if (login === undefined) out.info('no --oidc-client-id: the API works, nobody can sign in to the UI');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
      });
    });
}

/**
 * The home's promotion context, with the registry opened on the first promotion rather than at start: a registry
 * that cannot be opened then is a refused promotion step (the decision stands), not a server that will not start.
 */
function lazyPromotion(docket: Docket): PromotionContext {
  return {
    approvals: docket.approvals,
    get registry() {
      return docket.registry;
    },
    registryName: docket.registryConfig.name,
    target: docket.registryConfig.target,
  };
}

function wholeNumber(value: string, flag: string): number {
  if (!/^[0-9]{1,15}$/.test(value))
    throw new DocketError(CliErrorCode.Usage, `${flag} must be a whole number`);
  return Number(value);
}

function loginOptions(docket: Docket, opts: ServeOptions): LoginOptions | undefined {
  const clientId = opts.oidcClientId ?? process.env.DOCKET_OIDC_CLIENT_ID;
  if (clientId === undefined || clientId === '') return undefined;
  const identity = docket.config.identity;
  const issuers = identity?.oidc.map((p) => p.issuer) ?? [];
  const issuer = opts.oidcIssuer ?? (issuers.length === 1 ? issuers[0] : undefined);
  if (issuer === undefined || !issuers.includes(issuer)) {
    throw new DocketError(
      CliErrorCode.Usage,
      issuers.length === 0
        ? 'the home trusts no OpenID Provider (config.json identity.oidc): the UI cannot sign anyone in'
        : `--oidc-issuer must be one of the home's issuers: ${issuers.join(', ')}`,
    );
  }
  const provider = identity?.oidc.find((p) => p.issuer === issuer);
  const secret = process.env.DOCKET_OIDC_CLIENT_SECRET;
  return {
    issuer,
    clientId,
    resource: opts.oidcResource ?? provider?.audience ?? identity?.audience ?? 'urn:docket:api',
    ...(secret === undefined || secret === '' ? {} : { clientSecret: secret }),
  };
}
