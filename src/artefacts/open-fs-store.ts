import { ArtefactStore } from './artefact-store.js';
import { FsArtefactBackend } from './fs/index.js';

/**
 * Opens the embedded filesystem store under `root`; `create` creates it when absent (see `FsArtefactBackend.open`).
 *
 * @example
 * const store = await openFsArtefactStore('.docket/artefacts', { create: true });
 */
export async function openFsArtefactStore(
  root: string,
  options: { create?: boolean } = {},
): Promise<ArtefactStore> {
  return new ArtefactStore(await FsArtefactBackend.open(root, options));
}
