import { ArtefactStore } from './artefact-store.js';
import { FsArtefactBackend } from './fs/index.js';

/**
 * Opens (creating if needed) the embedded filesystem store under `root`.
 *
 * @example
 * const store = await openFsArtefactStore('.docket/artefacts');
 */
export async function openFsArtefactStore(root: string): Promise<ArtefactStore> {
  return new ArtefactStore(await FsArtefactBackend.open(root));
}
