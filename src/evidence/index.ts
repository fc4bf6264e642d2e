export type { ArtefactKind, ArtefactPredicate } from './artefact-record.js';
export { ARTEFACT_KINDS, parseArtefactKind } from './artefact-record.js';
export { EvidenceErrorCode } from './errors.js';
export type { MissingArtefact } from './missing-artefacts.js';
export { missingRecordedArtefacts } from './missing-artefacts.js';
export type { ArtefactSource, RegisterArtefactInput, RegisteredArtefact } from './register-artefact.js';
export { DIRECTORY_MEDIA_TYPE, registerArtefact } from './register-artefact.js';
