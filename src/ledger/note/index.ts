export type { Checkpoint } from './checkpoint.js';
export { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
export { NoteErrorCode } from './errors.js';
export { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './note-text.js';
export type { NoteSignature, OpenedNote } from './open-note.js';
export { openNote } from './open-note.js';
export { signNote } from './sign-note.js';
export type { OpenCheckpointOptions } from './signed-checkpoint.js';
export { openCheckpoint, signCheckpoint } from './signed-checkpoint.js';
