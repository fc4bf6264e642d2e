/**
 * A very small user agent for driving an identity provider's HTML pages in tests: a cookie jar (name, value,
 * path; one loopback origin), manual redirect following, and HTML form extraction and submission. It is not a
 * browser; it is just enough to post the provider's own forms the way a person's browser would.
 */

interface StoredCookie {
  value: string;
  path: string;
}

/** Cookies per origin, honouring Path and deletion (Max-Age=0 / past Expires). */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, StoredCookie>>();

  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=', 2);
        const k = key.toLowerCase();
        if (k === 'path' && val.startsWith('/')) path = val;
        if (k === 'max-age' && Number(val) <= 0) expired = true;
        if (k === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const jar = this.#cookies.get(url.origin) ?? new Map<string, StoredCookie>();
      this.#cookies.set(url.origin, jar);
      const key = `${name}\u0000${path}`;
      if (expired) jar.delete(key);
      else jar.set(key, { value, path });
    }
  }

  header(url: URL): string | undefined {
    const jar = this.#cookies.get(url.origin);
    if (!jar) return undefined;
    const pairs: string[] = [];
    for (const [key, cookie] of jar) {
      const inPath =
        url.pathname === cookie.path ||
        url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`);
      if (inPath) pairs.push(`${key.slice(0, key.indexOf('\u0000'))}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}

/** A form found in a page: where it posts and its successful controls (hidden, text, password inputs). */
export interface HtmlForm {
  readonly id: string | undefined;
  readonly action: URL;
  readonly method: 'GET' | 'POST';
  readonly fields: Record<string, string>;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
  '#x27': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, entity: string) => {
    const known = ENTITIES[entity.toLowerCase()];
    if (known !== undefined) return known;
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = match[1]?.toLowerCase();
    if (name) found[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

/** Extracts every `<form>` of a page, resolving actions against the page URL. */
export function parseForms(html: string, pageUrl: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(match[1] ?? '');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1] ?? '');
      const type = (a.type ?? 'text').toLowerCase();
      if (a.name && ['hidden', 'text', 'password', 'email'].includes(type)) fields[a.name] = a.value ?? '';
    }
    forms.push({
      id: attrs.id,
      action: new URL(attrs.action ?? pageUrl.href, pageUrl),
      method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields,
    });
  }
  return forms;
}

/** A page the agent ended on: its final URL, status and body. */
export interface Page {
  readonly url: URL;
  readonly status: number;
  readonly body: string;
  /** Set when navigation stopped at a redirect the caller asked to intercept (e.g. an OAuth redirect_uri). */
  readonly interceptedRedirect?: URL;
}

/** Cookie-keeping, redirect-following HTTP client for scripted logins. */
export class TestUserAgent {
  readonly jar = new CookieJar();

  /** Requests a URL, following up to 20 redirects; stops early at a redirect for which `intercept` is true. */
  async navigate(
    url: URL,
    init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
    intercept: (location: URL) => boolean = () => false,
  ): Promise<Page> {
    let current = url;
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.jar.header(current);
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(current, {
        method,
        headers,
        redirect: 'manual',
        ...(body === undefined ? {} : { body }),
      });
      this.jar.store(current, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, current);
        if (intercept(next))
          return { url: current, status: response.status, body: '', interceptedRedirect: next };
        current = next;
        // RFC 9110 §15.4: 303 (and, in practice, 301/302 after POST) continue as GET without a body.
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { url: current, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects starting at ${url.href}`);
  }

  /** Submits a form with its own fields plus `values` (which override). */
  submit(
    form: HtmlForm,
    values: Record<string, string> = {},
    intercept?: (location: URL) => boolean,
  ): Promise<Page> {
    const fields = { ...form.fields, ...values };
    if (form.method === 'GET') {
      const target = new URL(form.action);
      for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v);
      return this.navigate(target, {}, intercept);
    }
    return this.navigate(form.action, { method: 'POST', form: fields }, intercept);
  }
}
