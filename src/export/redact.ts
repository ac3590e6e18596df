import type { HeaderMap } from '../model';

/** Shown instead of a secret header's value. */
export const REDACTED = '[redacted]';

const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
  'openai-organization',
  'anthropic-api-key',
  'x-goog-api-key',
]);

/** Whether a header usually carries a credential (by name; `*-token`, `*-secret`, `*-api-key` too). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || /(^|-)(token|secret|api-key|apikey|password)$/.test(lower);
}

/** A copy of `headers` with secret values replaced by `[redacted]`. */
export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) ? REDACTED : value;
  return out;
}
