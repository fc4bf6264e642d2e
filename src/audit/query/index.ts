export type {
  AuditedApprover,
  AuditedEvent,
  AuditQuery,
  AuditReference,
  AuditReport,
  ReferenceVerdict,
} from './audit-version.js';
export { AUDIT_REFERENCES, auditVersion } from './audit-version.js';
export { AuditQueryErrorCode } from './errors.js';
export { escapeHtml, renderAuditHtml } from './render-html.js';
export { renderAuditText } from './render-text.js';
