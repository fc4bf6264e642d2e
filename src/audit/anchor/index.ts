export type { AnchorWriteResult } from './anchor-checkpoint.js';
export { anchorCheckpoint } from './anchor-checkpoint.js';
export { originSegment } from './anchor-layout.js';
export { AnchorErrorCode } from './errors.js';
export type { Anchor, AnchoredLog, AnchorListing, RejectedAnchor } from './list-anchors.js';
export { listAnchors } from './list-anchors.js';
export type { AnchorTarget, DirectoryAnchorTarget, S3AnchorTarget } from './targets.js';
export { describeAnchorTarget } from './targets.js';
export type {
  AnchorFinding,
  AnchorRef,
  AnchorVerifyReport,
  RewriteReason,
} from './verify-against-anchors.js';
export { verifyAgainstAnchors } from './verify-against-anchors.js';
