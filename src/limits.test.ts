/**
 * The bounds of src/limits.ts hold together: each consumer uses the one definition, and the limits
 * fit into one another (a record into a message, a message into Chrome's message cap, a record into
 * the buffer).
 */
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS as READ_EXPORT_LIMITS } from './export/read-export';
import {
  DEFAULT_BUFFER_LIMITS,
  DEFAULT_PANEL_LIMITS,
  DEFAULT_PARSER_LIMITS,
  DEFAULT_RELAY_LIMITS,
  IMPORT_LIMITS,
  MAX_REQUEST_BODY_CHARS,
  PANEL_LIMIT_RANGES,
  type PanelLimits,
} from './limits';
import { DEFAULT_PARSER_LIMITS as PARSER_LIMITS } from './sse/event-stream-parser';
import { createStreamTap } from './sse/stream-tap';

/** Chrome refuses a runtime message whose JSON is over 64 MiB (extensions/renderer/api/messaging). */
const CHROME_MESSAGE_BYTES = 64 * 1024 * 1024;
/** The most bytes of JSON one UTF-16 unit can become: a control character escaped as `\u0001`. */
const WORST_JSON_BYTES_PER_CHAR = 6;

describe('limits', () => {
  it('are defined once: the parser and the importer use these very objects', () => {
    expect(PARSER_LIMITS).toBe(DEFAULT_PARSER_LIMITS);
    expect(READ_EXPORT_LIMITS).toBe(IMPORT_LIMITS);
  });

  it('the stream tap cuts a record at maxEventChars by default and says how long it was', () => {
    const max = DEFAULT_PARSER_LIMITS.maxEventChars;
    const tap = createStreamTap('sse');
    const records = tap.push(new TextEncoder().encode(`data: ${'x'.repeat(max + 10)}\n\n`), 1);
    expect(records).toHaveLength(1);
    expect(records[0]?.data.length).toBe(max);
    expect(records[0]?.truncatedFrom).toBe(max + 10);
  });

  it('one relay message holds the largest chunk, and stays under Chrome’s message cap at worst escaping', () => {
    const { maxMessageChars, maxChunkChars, maxUrlChars, maxHeaderChars, maxRecordFieldChars } =
      DEFAULT_RELAY_LIMITS;
    expect(maxMessageChars).toBeGreaterThanOrEqual(maxChunkChars);
    // Every character a page controls counts against maxMessageChars; beyond it, one entry may go
    // over only when it is alone: a chunk, an EventSource record (data cut to maxEventChars, id and
    // type to maxRecordFieldChars) or a connection's info (URLs, method and status text cut as URLs
    // are, two header maps, body).
    const largestEntry = Math.max(
      maxChunkChars,
      DEFAULT_PARSER_LIMITS.maxEventChars + 2 * maxRecordFieldChars,
      4 * maxUrlChars + 2 * maxHeaderChars + MAX_REQUEST_BODY_CHARS,
    );
    expect((maxMessageChars + largestEntry) * WORST_JSON_BYTES_PER_CHAR).toBeLessThan(CHROME_MESSAGE_BYTES);
  });

  it('the buffer holds at least one largest chunk', () => {
    expect(DEFAULT_BUFFER_LIMITS.maxChars).toBeGreaterThanOrEqual(DEFAULT_RELAY_LIMITS.maxChunkChars);
  });

  it('an import may hold at least what one connection may keep in the panel', () => {
    expect(IMPORT_LIMITS.maxRecords).toBeGreaterThanOrEqual(DEFAULT_PANEL_LIMITS.maxRecordsPerConnection);
  });

  it('the panel’s defaults are settable, and its largest settings are the page side’s own bounds', () => {
    for (const key of Object.keys(PANEL_LIMIT_RANGES) as (keyof PanelLimits)[]) {
      const { min, max } = PANEL_LIMIT_RANGES[key];
      expect(DEFAULT_PANEL_LIMITS[key], key).toBeGreaterThanOrEqual(min);
      expect(DEFAULT_PANEL_LIMITS[key], key).toBeLessThanOrEqual(max);
    }
    expect(PANEL_LIMIT_RANGES.maxEventChars.max).toBe(DEFAULT_PARSER_LIMITS.maxEventChars);
  });
});
