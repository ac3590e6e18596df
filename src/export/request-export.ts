import type { ConnectionInfo, HeaderMap } from '../model';
import { redactHeaders } from './redact';

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
 * fetch, the timed stream): secret header values become `[redacted]` unless `includeSecrets`.
 * URL and body redaction, when they exist, belong here too, so every writer gets them at once.
 */
export function requestForExport(info: ConnectionInfo, includeSecrets: boolean): RequestForExport {
  return {
    url: info.url,
    method: info.method,
    requestHeaders: includeSecrets ? { ...info.requestHeaders } : redactHeaders(info.requestHeaders),
    requestBody: info.requestBody,
    responseHeaders: includeSecrets ? { ...info.responseHeaders } : redactHeaders(info.responseHeaders),
  };
}
