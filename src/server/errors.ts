/**
 * Stable codes of the errors the HTTP edge itself raises (`docket serve`): the request never reached the library,
 * or the browser session it came with is not good enough. Library errors keep their own codes; every code maps to
 * one HTTP status in `http-status.ts`.
 *
 * @example
 * if (body.error.code === 'ERR_SERVER_UNAUTHENTICATED') return login();
 */
export const ServerErrorCode = {
  /** The API call carries no `Authorization: Bearer <token>` header (or a malformed one). */
  Unauthenticated: 'ERR_SERVER_UNAUTHENTICATED',
  /** The request is malformed at the HTTP level: a path or query parameter, or a JSON body that does not parse. */
  Invalid: 'ERR_SERVER_INVALID',
  /** No route answers this method and path. */
  RouteNotFound: 'ERR_SERVER_ROUTE_NOT_FOUND',
  /** The body is larger than the limit for this route (`details.limit` in bytes). */
  BodyTooLarge: 'ERR_SERVER_BODY_TOO_LARGE',
  /** The body's Content-Type is not one this route accepts (`details.accepted`). */
  UnsupportedMediaType: 'ERR_SERVER_UNSUPPORTED_MEDIA_TYPE',
  /** A form post lacks the session's CSRF token, or comes from another origin. */
  CsrfRefused: 'ERR_SERVER_CSRF_REFUSED',
  /** The page needs a signed-in session and there is none (or it expired): sign in again. */
  SessionRequired: 'ERR_SERVER_SESSION_REQUIRED',
  /** The sign-in round trip with the identity provider failed (state, PKCE, code exchange, or the token it gave). */
  LoginFailed: 'ERR_SERVER_LOGIN_FAILED',
  /** The approver UI has no OpenID Provider client configured, so nobody can sign in. */
  LoginNotConfigured: 'ERR_SERVER_LOGIN_NOT_CONFIGURED',
  /** The evidence frame was asked for without the one-time ticket of the viewer page that frames it. */
  ViewTicketInvalid: 'ERR_SERVER_VIEW_TICKET_INVALID',
  /** The server has no model registry configured for promotion, so it cannot run the promotion gate. */
  PromotionNotConfigured: 'ERR_SERVER_PROMOTION_NOT_CONFIGURED',
  /** The server options are unusable (public URL, limits, identity provider client). */
  ConfigInvalid: 'ERR_SERVER_CONFIG_INVALID',
  /** An unexpected failure without a code (a bug): logged with its stack on the server, never sent to the client. */
  Internal: 'ERR_SERVER_INTERNAL',
} as const;

/** One of the {@link ServerErrorCode} codes. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];
