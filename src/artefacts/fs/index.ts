export { FsArtefactBackend } from './fs-backend.js';
export { BLOBS_DIR, blobLocation, digestAtLocation, TEMP_DIR } from './layout.js';
