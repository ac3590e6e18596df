import { t } from '../src/i18n';
import type { StreamRecordKind } from '../src/model';

/** Local clock time with milliseconds: `14:03:07.042`. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `512 B`, `1.5 kB`, `12.3 MB` (decimal units, as DevTools' Network panel). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `830 ms`, `4.2 s`, `3 min 12 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Splits a URL into its origin and the rest, so a list can show the path first. */
export function splitUrl(url: string): { origin: string; path: string } {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  } catch {
    return { origin: '', path: url };
  }
}

/** Parses JSON data for display; `undefined` when it is not JSON. */
export function tryParseJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Time since the previous event: `+0.4 ms`, `+12 ms`, `+1.25 s`, `+3 min 2 s`. */
export function formatDelta(ms: number): string {
  if (ms < 10) return `+${ms.toFixed(1)} ms`;
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(2)} s`;
  return `+${formatDuration(ms)}`;
}

const uiLanguage = globalThis.chrome?.i18n?.getUILanguage?.() ?? undefined;
const numberFormat = new Intl.NumberFormat(uiLanguage);

/** A count in the browser's UI language: `1,204` in English. */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

// Lengths in UTF-8 bytes, computed the first time a row shows an event and kept with it.
const utf8Lengths = new WeakMap<object, number>();

/** UTF-8 size of `text` (what it took on the wire), remembered per `owner` (an event record). */
export function utf8Length(owner: object, text: string): number {
  let length = utf8Lengths.get(owner);
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) length += 1;
      else if (code < 0x800) length += 2;
      else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        // A surrogate pair is one 4-byte character.
        length += 4;
        i++;
      } else length += 3;
    }
    utf8Lengths.set(owner, length);
  }
  return length;
}

/** How a timeline record that is not an event is labelled in the Type column. */
export function kindLabel(kind: Exclude<StreamRecordKind, 'event'>): string {
  switch (kind) {
    case 'comment':
      return t('panelKindComment');
    case 'retry':
      return t('panelKindRetry');
    case 'open':
      return t('panelKindOpen');
    case 'error':
      return t('panelKindError');
  }
}

/** `Name: message` of anything thrown, never throwing itself (a thrown value may be anything). */
export function errorSummary(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'unknown error';
  }
}
