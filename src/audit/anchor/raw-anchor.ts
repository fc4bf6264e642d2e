import { DocketError } from '../../errors/index.js';
import { AnchorErrorCode } from './errors.js';

/** An anchor as stored, before validation: where it is and its bytes, or why it could not be read. */
export type RawAnchor =
  | { readonly location: string; readonly nameSize: number; readonly bytes: Uint8Array }
  | { readonly location: string; readonly error: DocketError };

/** Where an anchor was written, and whether this call wrote it (false: the same bytes were already there). */
export interface AnchorWrite {
  readonly location: string;
  readonly created: boolean;
}

/** The error of different bytes already anchored at a location: kept as they are, for a person to look at. */
export function conflict(location: string, target: string, origin: string, size: number): DocketError {
  return new DocketError(
    AnchorErrorCode.Conflict,
    `${location} already anchors a different checkpoint of ${origin} at size ${size}; it is kept as it is`,
    { details: { target, location, origin, size } },
  );
}
