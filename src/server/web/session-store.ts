import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The signed-in person as the UI shows them; decisions are always re-verified from the token, not from this. */
export interface SessionIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly groups: readonly string[];
}

/** A browser session, kept on the server only: the cookie holds a random id, never the token. */
export interface Session {
  readonly identity: SessionIdentity;
  /** The access token, sent to the library (which verifies it) on every action; never rendered into a page. */
  readonly accessToken: string;
  /** Synchronizer token every form of this session posts back (OWASP CSRF cheat sheet). */
  readonly csrfToken: string;
  /** When the access token expires: the session ends then at the latest. */
  readonly expiresAt: number;
  lastSeen: number;
  /** One-time tickets the evidence viewer page hands its frame: ticket digest to what it may load. */
  readonly viewTickets: Map<string, { requestId: string; kind: string; expiresAt: number }>;
}

/** A pending sign-in: the PKCE verifier and the browser it started in, keyed by the OAuth `state`. */
export interface PendingLogin {
  readonly codeVerifier: string;
  /** Digest of the random value in the browser's sign-in cookie: the callback must come from the same browser. */
  readonly browserBinding: string;
  /** Where to go after signing in (a local path). */
  readonly next: string;
  readonly expiresAt: number;
}

const MAX_SESSIONS = 10_000;
const MAX_PENDING = 10_000;
const MAX_TICKETS = 64;

/** 256 random bits, base64url: session ids, CSRF tokens, OAuth state, PKCE verifiers, view tickets. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Keys of the maps: a digest of the secret, so that the secret itself is not what the memory holds as key. */
export function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * In-memory sessions and pending sign-ins of one server process. A session lasts while its token is valid and
 * it is used at least every `idleSeconds`. One process only: several servers behind a load balancer need sticky
 * sessions (or a shared store behind this interface).
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Map<string, PendingLogin>();
  readonly #idleMs: number;
  readonly #now: () => number;

  constructor(options: { idleSeconds: number; now?: () => number }) {
    this.#idleMs = options.idleSeconds * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** Starts a session and returns its id (for the cookie). */
  create(fields: Pick<Session, 'identity' | 'accessToken' | 'expiresAt'>): { id: string; session: Session } {
    this.#sweep();
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    const id = randomToken();
    const session: Session = {
      ...fields,
      csrfToken: randomToken(),
      lastSeen: this.#now(),
      viewTickets: new Map(),
    };
    this.#sessions.set(digestOf(id), session);
    return { id, session };
  }

  /** The live session of a cookie value, touched; undefined when unknown, expired or idle too long. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || id.length === 0 || id.length > 128) return undefined;
    const key = digestOf(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.#now();
    if (now >= session.expiresAt || now - session.lastSeen > this.#idleMs) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  delete(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(digestOf(id));
  }

  /** Issues a one-time ticket for loading evidence `kind` of `requestId` into the viewer's frame. */
  issueViewTicket(session: Session, requestId: string, kind: string): string {
    const now = this.#now();
    for (const [key, t] of session.viewTickets) if (t.expiresAt <= now) session.viewTickets.delete(key);
    if (session.viewTickets.size >= MAX_TICKETS) {
      const oldest = session.viewTickets.keys().next().value;
      if (oldest !== undefined) session.viewTickets.delete(oldest);
    }
    const ticket = randomToken();
    session.viewTickets.set(digestOf(ticket), { requestId, kind, expiresAt: now + 5 * 60_000 });
    return ticket;
  }

  /** Consumes a ticket: true once, for the request and kind it was issued for. */
  redeemViewTicket(session: Session, ticket: string, requestId: string, kind: string): boolean {
    const key = digestOf(ticket);
    const found = session.viewTickets.get(key);
    if (found === undefined) return false;
    session.viewTickets.delete(key);
    return found.requestId === requestId && found.kind === kind && found.expiresAt > this.#now();
  }

  addPending(state: string, login: PendingLogin): void {
    const now = this.#now();
    for (const [key, p] of this.#pending) if (p.expiresAt <= now) this.#pending.delete(key);
    if (this.#pending.size >= MAX_PENDING) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
    this.#pending.set(digestOf(state), login);
  }

  /** Removes and returns the pending sign-in of `state` (each state is good for one callback). */
  takePending(state: string): PendingLogin | undefined {
    const key = digestOf(state);
    const found = this.#pending.get(key);
    this.#pending.delete(key);
    if (found === undefined || found.expiresAt <= this.#now()) return undefined;
    return found;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, s] of this.#sessions) {
      if (now >= s.expiresAt || now - s.lastSeen > this.#idleMs) this.#sessions.delete(key);
    }
  }
}
