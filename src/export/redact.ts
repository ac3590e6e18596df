/**
 * Redaction of credentials in what the panel exports or copies: header values, URL query and
 * fragment parameters, user-info passwords, and fields of request bodies, chosen by name. The one
 * place that decides what is a secret: the JSON, CSV and stream-text exports, copying, HAR and cURL
 * all call it, and the panel masks the same values until they are revealed.
 */
import type { HeaderMap } from '../model';

/** Shown instead of a secret value. */
export const REDACTED = '[redacted]';

const SECRET_HEADER_NAMES = new Set([
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'openai-organization',
  'anthropic-api-key',
  'x-goog-api-key',
  'ocp-apim-subscription-key',
  'x-functions-key',
]);

/** Query, fragment and body names that carry a credential although their ending does not say so. */
const SECRET_PARAM_NAMES = new Set(['key', 'sig', 'auth', 'pwd', 'pass', 'passwd', 'private_key']);

/**
 * Endings of names that carry a credential: `token` (`access_token`, `x-csrftoken`, `accessToken`),
 * `secret`, `password`, `signature` (Azure SAS `sig` aside, `X-Amz-Signature`), `api_key` and its
 * spellings, `credential`, `authorization` (`x-authorization`).
 */
const SECRET_ENDING = /(token|secret|password|signature|api[-_]?key|credential|authorization)$/;

/** Whether a header usually carries a credential (by name; `*-token`, `*-secret`, `*-api-key` too). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || SECRET_ENDING.test(lower);
}

/** Names that end like a secret but are protocol bookkeeping (MCP's progress token, page cursors). */
const NOT_SECRET_NAMES = new Set([
  'progresstoken',
  'pagetoken',
  'nextpagetoken',
  'page_token',
  'next_page_token',
]);

/** Whether a URL parameter, form field or JSON field of this name usually carries a credential. */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_PARAM_NAMES.has(lower) || (SECRET_ENDING.test(lower) && !NOT_SECRET_NAMES.has(lower));
}

/** A copy of `headers` with secret values replaced by `[redacted]`. */
export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) ? REDACTED : value;
  return out;
}

/** `headers` as they are with `includeSecrets`, else redacted (always a copy). */
export function headersForExport(headers: HeaderMap, includeSecrets: boolean): HeaderMap {
  return includeSecrets ? { ...headers } : redactHeaders(headers);
}

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

/** `a=1&key=2` with the values of secret names redacted; every other character kept as it was. */
function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0 || !isSecretParam(decodedName(pair.slice(0, equals)))) return pair;
      return `${pair.slice(0, equals + 1)}${REDACTED}`;
    })
    .join('&');
}

/**
 * `url` with the values of secret query and fragment parameters (`?key=`, `#access_token=`…) and a
 * user-info password redacted, unless `includeSecrets`. Works on the text, not through `URL`, so
 * that nothing else in it changes (no normalisation, and text that is not a URL passes unchanged).
 */
export function redactUrl(url: string, includeSecrets: boolean): string {
  if (includeSecrets) return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? null : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  let base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? null : beforeHash.slice(queryAt + 1);
  // scheme://user:password@host: only the password is a secret.
  base = base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]*@/i, `$1${REDACTED}@`);
  return (
    base +
    (query === null ? '' : `?${redactParams(query)}`) +
    // A fragment is a parameter list only when it looks like one (`#section-2` is not).
    (fragment === null ? '' : `#${fragment.includes('=') ? redactParams(fragment) : fragment}`)
  );
}

/** The index just past the JSON string starting at `at` (a `"`), or -1 when it is not closed. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return -1;
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const LITERAL = /-?[0-9][0-9.eE+-]*|true|false|null/y;

/**
 * JSON text with the string, number or literal values of secret-named fields replaced by
 * `"[redacted]"`, all other text kept. One linear pass over the characters, so any depth is fine (the
 * page chose it), and text cut short or malformed is redacted as far as it goes.
 */
function redactJsonText(text: string): string {
  let out = '';
  let copiedTo = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i)) {
    const end = stringEnd(text, i);
    if (end < 0) break;
    let valueAt = end;
    while (valueAt < text.length && isJsonSpace(text.charCodeAt(valueAt))) valueAt++;
    if (text[valueAt] !== ':') {
      i = end;
      continue;
    }
    valueAt++;
    while (valueAt < text.length && isJsonSpace(text.charCodeAt(valueAt))) valueAt++;
    let name: unknown;
    try {
      name = JSON.parse(text.slice(i, end));
    } catch {
      name = null;
    }
    i = valueAt;
    if (typeof name !== 'string' || !isSecretParam(name)) continue;
    let valueEnd = -1;
    // A value cut short (the agent keeps 1 Mi characters of a body) is redacted to the end.
    if (text[valueAt] === '"') {
      const closed = stringEnd(text, valueAt);
      valueEnd = closed < 0 ? text.length : closed;
    } else {
      LITERAL.lastIndex = valueAt;
      if (LITERAL.test(text)) valueEnd = LITERAL.lastIndex;
    }
    if (valueEnd < 0) continue;
    out += `${text.slice(copiedTo, valueAt)}"${REDACTED}"`;
    copiedTo = i = valueEnd;
  }
  return out + text.slice(copiedTo);
}

/** A form body: `name=value` pairs joined by `&`, nothing else. */
const FORM_BODY = /^[^\s=&]+=[^\s&]*(&[^\s=&]+=?[^\s&]*)*$/;

/**
 * A request body with the values of secret-named fields redacted, unless `includeSecrets`: JSON
 * (`"api_key": …`, `"apiKey"`, `"password"`… at any depth) and form bodies (`client_secret=…`).
 * Other text, such as a description of a binary body, is kept.
 */
export function redactBody(body: string | null, includeSecrets: boolean): string | null {
  if (body === null || includeSecrets) return body;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') return redactJsonText(body);
  return FORM_BODY.test(body) ? redactParams(body) : body;
}
