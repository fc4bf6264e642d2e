// Pure naming of anchors, kept apart from I/O. One directory (or key prefix) per log origin, one file per tree
// size: `<origin-segment>/<size>.checkpoint`, where the origin segment encodes the origin injectively so that
// two logs never share a directory and no origin can climb out of it ("..", "/").

const PLAIN = /[A-Za-z0-9._-]/;
const ANCHOR_NAME = /^(0|[1-9][0-9]{0,15})\.checkpoint$/;

/**
 * The origin as one path segment: ASCII letters, digits, '.', '_' and '-' kept, every other UTF-8 byte as
 * `%XX`, and a leading '.' as `%2E` (so no segment is '.', '..' or hidden). Injective, since '%' is escaped.
 *
 * @example
 * originSegment('example.com/ledger') // 'example.com%2Fledger'
 */
export function originSegment(origin: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(origin)) {
    const char = String.fromCharCode(byte);
    const plain = byte < 0x80 && PLAIN.test(char) && !(out === '' && char === '.');
    out += plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The file (or last key segment) of the anchor of tree size `size`. */
export function anchorName(size: number): string {
  return `${size}.checkpoint`;
}

/** The tree size an anchor name stands for, or undefined when the name is not an anchor's. */
export function sizeOfAnchorName(name: string): number | undefined {
  const match = ANCHOR_NAME.exec(name);
  if (match === null) return undefined;
  const size = Number(match[1]);
  return Number.isSafeInteger(size) ? size : undefined;
}

/** The text of a signed note: everything up to and including the blank line's first newline (C2SP signed-note). */
export function noteText(note: string): string | undefined {
  const end = note.indexOf('\n\n');
  return end < 0 ? undefined : note.slice(0, end + 1);
}
