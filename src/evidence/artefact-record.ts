import { DocketError } from '../errors/index.js';
import { EvidenceErrorCode } from './errors.js';

/** What an artefact is evidence of; the classifier and the approver UI rely on these names. */
export const ARTEFACT_KINDS = [
  'model',
  'dataset',
  'comparison',
  'explanation',
  'change-manifest',
  'policy',
  'report',
  'other',
] as const;
export type ArtefactKind = (typeof ARTEFACT_KINDS)[number];

/** The predicate of an `artefact` record: what was registered, by whom. The bytes stay in the store. */
export interface ArtefactPredicate {
  kind: ArtefactKind;
  mediaType: string;
  size: number;
  name: string;
  registeredBy: { kind: 'local-user' | 'identity'; name: string };
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function parseArtefactKind(value: string): ArtefactKind {
  if (!(ARTEFACT_KINDS as readonly string[]).includes(value)) {
    throw new DocketError(
      EvidenceErrorCode.Invalid,
      `unknown artefact kind ${JSON.stringify(value)}; one of ${ARTEFACT_KINDS.join(', ')}`,
      { details: { kind: value } },
    );
  }
  return value as ArtefactKind;
}

export function assertMediaType(value: string): void {
  if (!MEDIA_TYPE.test(value)) {
    throw new DocketError(
      EvidenceErrorCode.Invalid,
      `${JSON.stringify(value)} is not a media type (type/subtype)`,
      {
        details: { mediaType: value },
      },
    );
  }
}

export function assertArtefactName(value: string): void {
  // A name is a label for people, never a path docket writes to; still refuse what would mislead a reader.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (value.length === 0 || value.length > 512 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new DocketError(EvidenceErrorCode.Invalid, 'an artefact name must be 1-512 printable characters', {
      details: { name: value.slice(0, 64) },
    });
  }
}
