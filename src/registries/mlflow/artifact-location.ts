import { checkManifestPath } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { printable } from '../text.js';
import type { TrackingUri } from './tracking-uri.js';

/** The API prefix of MLflow's artifact proxy (`mlflow server --serve-artifacts`, the default since 2.0). */
export const ARTIFACT_PROXY_PREFIX = 'mlflow-artifacts/artifacts';

const RUN_ID = /^[0-9A-Za-z_-]{1,256}$/;

/** Where a version's bytes are, as docket can fetch them: a path under the proxy, or a run to ask about first. */
export type ArtifactLocation =
  | { readonly kind: 'proxy'; readonly path: string }
  | { readonly kind: 'run'; readonly runId: string; readonly path: string };

/**
 * Interprets an artifact URI from the registry. docket fetches only through the tracking server it was configured
 * with, never from a host the registry names (a hostile registry could otherwise point docket, and its credentials,
 * anywhere). Accepted: `mlflow-artifacts:/<path>` (and `mlflow-artifacts://<same host>/<path>`),
 * `runs:/<run id>/<path>`, and `<tracking uri>/api/2.0/mlflow-artifacts/artifacts/<path>`.
 *
 * @throws DocketError `ERR_REGISTRY_ARTEFACT_UNAVAILABLE` for any other scheme or host,
 *   `ERR_REGISTRY_RESPONSE_INVALID` for a path that could leave the artifact root.
 */
export function parseArtifactUri(uri: string, tracking: TrackingUri): ArtifactLocation {
  if (uri.startsWith('mlflow-artifacts:')) {
    let rest = uri.slice('mlflow-artifacts:'.length);
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
      if (authority !== '' && authority !== tracking.url.host) throw notServed(uri, 'it names another host');
      rest = slash < 0 ? '' : rest.slice(slash);
    }
    return { kind: 'proxy', path: cleanPath(rest, uri) };
  }
  if (uri.startsWith('runs:/')) {
    const rest = uri.slice('runs:/'.length).replace(/^\/+/, '');
    const slash = rest.indexOf('/');
    const runId = slash < 0 ? rest : rest.slice(0, slash);
    if (!RUN_ID.test(runId)) throw notServed(uri, 'its run id is malformed');
    const path = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (path !== '') checkPath(path, uri);
    return { kind: 'run', runId, path };
  }
  const proxyRoot = `${tracking.text}/api/2.0/${ARTIFACT_PROXY_PREFIX}/`;
  if (uri.startsWith(proxyRoot)) {
    return { kind: 'proxy', path: cleanPath(decodePath(uri.slice(proxyRoot.length), uri), uri) };
  }
  throw notServed(uri, 'docket fetches artefacts only through the tracking server’s artifact proxy');
}

/** Joins a relative path under an artifact root, both already checked. */
export function joinArtifactPath(root: string, relative: string): string {
  if (relative === '') return root;
  return root === '' ? relative : `${root}/${relative}`;
}

/** The proxy URL path of an artifact: each segment percent-encoded. */
export function proxyPath(path: string): string {
  return `${ARTIFACT_PROXY_PREFIX}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function cleanPath(raw: string, uri: string): string {
  const path = raw.replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '') throw notServed(uri, 'it names the root of the artifact store');
  checkPath(path, uri);
  return path;
}

function checkPath(path: string, uri: string): void {
  try {
    checkManifestPath(path);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    throw new DocketError(
      RegistryErrorCode.ResponseInvalid,
      `the registry gave an artifact location that could leave the artifact root: ${printable(uri)}`,
      { cause: err, details: { uri: printable(uri) } },
    );
  }
}

function decodePath(encoded: string, uri: string): string {
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch (cause) {
    throw new DocketError(RegistryErrorCode.ResponseInvalid, `malformed artifact URI ${printable(uri)}`, {
      cause,
    });
  }
}

function notServed(uri: string, why: string): DocketError {
  return new DocketError(RegistryErrorCode.ArtefactUnavailable, `cannot fetch ${printable(uri)}: ${why}`, {
    details: { uri: printable(uri) },
  });
}
