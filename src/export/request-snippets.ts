import type { ConnectionInfo, HeaderMap } from '../model';
import { requestForExport } from './request-export';

/**
 * Headers to send again. A native EventSource's page never sees its request headers (they are `{}`),
 * but the standard says what it sends: `Accept: text/event-stream`, so a copied request asks for the
 * same stream.
 */
function headersToSend(info: ConnectionInfo, headers: HeaderMap): HeaderMap {
  if (info.transport === 'eventsource' && Object.keys(headers).length === 0) {
    return { accept: 'text/event-stream' };
  }
  return headers;
}

/** `text` as one POSIX shell word: single-quoted, a `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The connection's request as a `curl` command line (secrets redacted unless `includeSecrets`).
 * `-N` turns off curl's output buffering so the stream shows as it arrives.
 */
export function requestAsCurl(info: ConnectionInfo, includeSecrets: boolean): string {
  const request = requestForExport(info, includeSecrets);
  const parts = [`curl ${shellQuote(request.url)}`];
  const body = request.requestBody;
  // curl sends GET, or POST once it has a body; any other method is named.
  const implied = body === null ? 'GET' : 'POST';
  if (request.method.toUpperCase() !== implied) parts.push(`-X ${shellQuote(request.method)}`);
  for (const [name, value] of Object.entries(headersToSend(info, request.requestHeaders))) {
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (body !== null) parts.push(`--data-raw ${shellQuote(body)}`);
  parts.push('-N');
  return parts.join(' \\\n  ');
}

/** The connection's request as a `fetch()` call, as DevTools' "Copy as fetch" writes it. */
export function requestAsFetch(info: ConnectionInfo, includeSecrets: boolean): string {
  const request = requestForExport(info, includeSecrets);
  const init: Record<string, unknown> = { method: request.method };
  const headers = headersToSend(info, request.requestHeaders);
  if (Object.keys(headers).length > 0) init.headers = headers;
  if (request.requestBody !== null) init.body = request.requestBody;
  return `fetch(${JSON.stringify(request.url)}, ${JSON.stringify(init, null, 2)});`;
}
