/**
 * Streams that hold the browser's connections to one origin. Over HTTP/1.1 a browser opens at most
 * six connections per origin (Chromium's per-host limit), and each open stream keeps one: a seventh
 * stream, and every other request of the page to that origin, waits until one ends. HTTP/2 and
 * HTTP/3 carry all of them on one connection.
 */
import type { ConnectionEnd, ConnectionInfo } from '../model';
import type { Finding } from './types';

/** Connections per origin a browser opens over HTTP/1.1. */
export const HTTP1_CONNECTIONS_PER_ORIGIN = 6;

/** What the check needs of each connection of the tab. */
export interface ConnectionSpan {
  info: ConnectionInfo;
  end: ConnectionEnd | null;
}

const HTTP1 = /^http\/1(\.[01])?$/i;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The protocol the page's Resource Timing gave for a connection (`nextHopProtocol`), if any. */
export function protocolOf(span: ConnectionSpan): string | null {
  return span.end?.nextHopProtocol || span.info.nextHopProtocol || null;
}

/**
 * The findings, by connection id, for every connection that was open while more than six streams
 * to its origin were: a warning when the origin's protocol is HTTP/1.x, an info when it is unknown.
 */
export function connectionLimitFindings(spans: readonly ConnectionSpan[]): Map<string, Finding> {
  const byOrigin = new Map<string, ConnectionSpan[]>();
  for (const span of spans) {
    const origin = originOf(span.info.url);
    if (origin === null) continue;
    let list = byOrigin.get(origin);
    if (!list) {
      list = [];
      byOrigin.set(origin, list);
    }
    list.push(span);
  }
  const out = new Map<string, Finding>();
  for (const [origin, list] of byOrigin) {
    if (list.length <= HTTP1_CONNECTIONS_PER_ORIGIN) continue;
    // Sweep over starts and ends: the most streams open at once, and who was open then.
    const points: { time: number; delta: 1 | -1; span: ConnectionSpan }[] = [];
    for (const span of list) {
      points.push({ time: span.info.startedAt, delta: 1, span });
      if (span.end) points.push({ time: span.end.endedAt, delta: -1, span });
    }
    // An end before a start at the same time: a stream that ends frees its connection first.
    points.sort((a, b) => a.time - b.time || a.delta - b.delta);
    const open = new Set<ConnectionSpan>();
    const crowded = new Set<ConnectionSpan>();
    let most = 0;
    let mostAt = 0;
    let crowding = false;
    for (const point of points) {
      if (point.delta === 1) open.add(point.span);
      else open.delete(point.span);
      if (open.size <= HTTP1_CONNECTIONS_PER_ORIGIN) crowding = false;
      else if (!crowding) {
        // Every stream open when the crowd formed, once; then each one that joins it.
        for (const span of open) crowded.add(span);
        crowding = true;
      } else if (point.delta === 1) crowded.add(point.span);
      if (open.size > most) {
        most = open.size;
        mostAt = point.time;
      }
    }
    if (crowded.size === 0) continue;
    const protocols = new Set([...list].map(protocolOf).filter((p): p is string => p !== null));
    const http1 = [...protocols].find((p) => HTTP1.test(p));
    const known = protocols.size > 0;
    if (known && !http1) continue;
    const when = new Date(mostAt).toISOString().slice(11, 23);
    const finding: Finding = http1
      ? {
          code: 'http1-connection-limit',
          severity: 'warning',
          message: `${most} streams to ${origin} were open at once over ${http1}, which allows ${HTTP1_CONNECTIONS_PER_ORIGIN} connections per origin: the streams beyond ${HTTP1_CONNECTIONS_PER_ORIGIN} waited, and so did every other request of the page to this origin.`,
          evidence: [
            `${most} streams open at ${when} (UTC).`,
            `Protocol ${http1}, from the page's Resource Timing (nextHopProtocol).`,
          ],
          fix: 'Serve the streams over HTTP/2 or HTTP/3 (one connection carries them all), or share one stream between the tabs and components that need it (a SharedWorker, or one stream multiplexing several topics).',
        }
      : {
          code: 'connection-limit-protocol-unknown',
          severity: 'info',
          message: `${most} streams to ${origin} were open at once; if the origin speaks HTTP/1.1, which allows ${HTTP1_CONNECTIONS_PER_ORIGIN} connections per origin, the streams beyond ${HTTP1_CONNECTIONS_PER_ORIGIN} and every other request to it waited. The protocol is unknown: the page's Resource Timing has no entry for it.`,
          evidence: [
            `${most} streams open at ${when} (UTC).`,
            'No nextHopProtocol: no Resource Timing entry of this origin (its buffer may be full, or a cross-origin server sends no Timing-Allow-Origin).',
          ],
          fix: 'Check the protocol in the Network panel (Protocol column); over HTTP/1.1, serve the streams over HTTP/2 or share one stream.',
        };
    for (const span of crowded) out.set(span.info.id, finding);
  }
  return out;
}
