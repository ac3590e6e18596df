import type { ConnectionInfo, HeaderMap } from '../model';
import { redactBody, redactHeaders, redactUrl } from './redact';

/** A connection's request and response headers as they may leave the panel (a file, the clipboard). */
export interface RequestForExport {
  url: string;
  method: string;
  requestHeaders: HeaderMap;
  requestBody: string | null;
  responseHeaders: HeaderMap;
}

/**
 * The one place where what a connection sent is redacted before it is exported or copied (HAR, cURL,
 * fetch, the timed stream): secret header values, URL parameters and body fields become
 * `[redacted]` unless `includeSecrets` (src/export/redact.ts decides what is a secret).
 */
export function requestForExport(info: ConnectionInfo, includeSecrets: boolean): RequestForExport {
  return {
    url: redactUrl(info.url, includeSecrets),
    method: info.method,
    requestHeaders: includeSecrets ? { ...info.requestHeaders } : redactHeaders(info.requestHeaders),
    requestBody: redactBody(info.requestBody, includeSecrets),
    responseHeaders: includeSecrets ? { ...info.responseHeaders } : redactHeaders(info.responseHeaders),
  };
}
