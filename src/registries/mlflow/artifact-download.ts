import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { checkManifestPath, compareUtf8 } from '../../digest/index.js';
import { DocketError, isDocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { type FetchDirectory, MAX_FETCH_DEPTH } from '../fetch-directory.js';
import type { FetchedArtefacts } from '../model-registry.js';
import { printable } from '../text.js';
import { ARTIFACT_PROXY_PREFIX, joinArtifactPath, proxyPath } from './artifact-location.js';
import type { MlflowHttp } from './http.js';
import { type ArtifactEntry, invalid, parseArtifactListing } from './responses.js';

const ARTEFACT_NAME = 'artefact';

interface RemoteFile {
  readonly path: string;
  readonly size?: number;
}

/**
 * Downloads the artifact directory at `root` (a path under the proxy) into the fetch directory: lists it
 * recursively (`GET mlflow-artifacts/artifacts?path=`, which answers basenames), then downloads every file
 * (`GET mlflow-artifacts/artifacts/<path>`). Every name the server lists is hostile: one that is not a single clean
 * path segment ('..', '/', a backslash, a control character) is refused before anything is written, sizes must
 * match what was listed, and the limits of the fetch apply to listing as well as bytes. A root that lists nothing
 * is tried as a single file.
 *
 * @throws DocketError `ERR_REGISTRY_RESPONSE_INVALID`, `ERR_REGISTRY_ARTEFACT_TOO_LARGE`,
 *   `ERR_REGISTRY_ARTEFACT_UNAVAILABLE`, and the transport codes of {@link MlflowHttp}.
 */
export async function downloadArtifacts(
  http: MlflowHttp,
  root: string,
  into: FetchDirectory,
  signal: AbortSignal | undefined,
): Promise<FetchedArtefacts> {
  const files = await listRecursively(http, root, into, signal).catch((err: unknown) => {
    throw proxyDisabled(err) ?? err;
  });
  if (files.length === 0) return downloadSingleFile(http, root, into, signal);
  const target = join(into.root, ARTEFACT_NAME);
  for (const file of files) {
    into.addFile(file.path);
    if (file.size !== undefined) into.reserve(file.size, file.path);
    const destination = resolve(target, ...file.path.split('/'));
    // Defence in depth: every segment was checked, so this cannot fail unless that check is broken.
    if (!destination.startsWith(`${target}${sep}`))
      throw invalid(`artifact ${JSON.stringify(file.path)} escapes`);
    await mkdir(dirname(destination), { recursive: true });
    let received = 0;
    const written = await http.download(
      proxyPath(joinArtifactPath(root, file.path)),
      destination,
      (count) => {
        into.addBytes(count, file.path);
        received += count;
        if (file.size !== undefined && received > file.size) throw sizeMismatch(file, received);
      },
      signal,
    );
    if (file.size !== undefined && written !== file.size) throw sizeMismatch(file, written);
  }
  return into.finish('directory', target);
}

async function listRecursively(
  http: MlflowHttp,
  root: string,
  into: FetchDirectory,
  signal: AbortSignal | undefined,
): Promise<RemoteFile[]> {
  const files: RemoteFile[] = [];
  const pending: { relative: string; depth: number }[] = [{ relative: '', depth: 0 }];
  let listed = 0;
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const body = await http.json(
      'GET',
      ARTIFACT_PROXY_PREFIX,
      { query: { path: joinArtifactPath(root, dir.relative) } },
      signal,
    );
    const entries = parseArtifactListing(body);
    checkUniqueNames(entries, dir.relative);
    for (const entry of entries) {
      const relative = dir.relative === '' ? entry.name : `${dir.relative}/${entry.name}`;
      checkEntryName(entry.name, relative);
      listed += 1;
      if (listed > 2 * into.maxFiles) {
        throw new DocketError(
          RegistryErrorCode.ArtefactTooLarge,
          `the artifact listing has more than ${2 * into.maxFiles} entries`,
          { details: { limit: into.maxFiles } },
        );
      }
      if (entry.isDir) {
        if (dir.depth + 1 > MAX_FETCH_DEPTH) {
          throw new DocketError(
            RegistryErrorCode.ArtefactTooLarge,
            `the artifact directory nests deeper than ${MAX_FETCH_DEPTH} levels`,
            { details: { path: relative.slice(0, 256) } },
          );
        }
        pending.push({ relative, depth: dir.depth + 1 });
      } else {
        files.push(entry.size === undefined ? { path: relative } : { path: relative, size: entry.size });
      }
    }
  }
  files.sort((a, b) => compareUtf8(a.path, b.path));
  return files;
}

async function downloadSingleFile(
  http: MlflowHttp,
  root: string,
  into: FetchDirectory,
  signal: AbortSignal | undefined,
): Promise<FetchedArtefacts> {
  const target = join(into.root, ARTEFACT_NAME);
  into.addFile(ARTEFACT_NAME);
  try {
    await http.download(proxyPath(root), target, (count) => into.addBytes(count, ARTEFACT_NAME), signal);
  } catch (err) {
    if (isDocketError(err, RegistryErrorCode.NotFound) || isDocketError(err, RegistryErrorCode.Refused)) {
      throw new DocketError(
        RegistryErrorCode.ArtefactUnavailable,
        `the tracking server has no artefact files at ${printable(root)}`,
        { cause: err, details: { path: printable(root) } },
      );
    }
    throw err;
  }
  return into.finish('file', target);
}

// MLflow answers 503 on the proxy routes of a server run with --no-serve-artifacts (handlers.py
// `_disable_unless_serve_artifacts`): a configuration that will not change by retrying, so not "unreachable".
function proxyDisabled(err: unknown): DocketError | undefined {
  if (!isDocketError(err, RegistryErrorCode.Unreachable) || err.details.status !== 503) return undefined;
  const message = err.details.mlflowMessage;
  if (typeof message !== 'string' || !message.includes('serve-artifacts')) return undefined;
  return new DocketError(
    RegistryErrorCode.ArtefactUnavailable,
    'the MLflow server does not serve artifacts (it runs with --no-serve-artifacts)',
    { cause: err },
  );
}

// The proxy lists basenames: anything but one clean segment is an attempt to write outside the directory.
function checkEntryName(name: string, relative: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    throw traversal(name, undefined);
  }
  try {
    checkManifestPath(relative);
  } catch (err) {
    if (!isDocketError(err)) throw err;
    throw traversal(name, err);
  }
}

function sizeMismatch(file: RemoteFile, got: number): DocketError {
  return invalid(
    `artifact ${JSON.stringify(printable(file.path))} was listed with ${file.size} bytes and ${got} arrived`,
  );
}

function checkUniqueNames(entries: readonly ArtifactEntry[], where: string): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) {
      throw invalid(
        `the listing of ${JSON.stringify(printable(where || '/'))} names ${JSON.stringify(printable(entry.name))} twice`,
      );
    }
    seen.add(entry.name);
  }
}

function traversal(name: string, cause: unknown): DocketError {
  return new DocketError(
    RegistryErrorCode.ResponseInvalid,
    `invalid answer from the MLflow registry: artifact name ${JSON.stringify(printable(name.slice(0, 256)))} is not a plain file name (path traversal refused)`,
    { ...(cause === undefined ? {} : { cause }), details: { name: printable(name.slice(0, 256)) } },
  );
}
