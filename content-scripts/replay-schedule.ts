/**
 * The schedule of one replay: what the page receives from an override, and when. Pure (no timers,
 * no DOM): `planReplay` turns an override into steps (the response head, the recorded text chunks
 * at their recorded times scaled by the speed, the end), with its faults applied to the text; a
 * `ReplaySchedule` hands the steps out as time passes. The relay (content-scripts/relay-replay.ts)
 * runs the timers and feeds the page agent step by step.
 *
 * The chunks are the capture's raw text: a replay without faults gives the page exactly the text it
 * read, cut where it was cut. Faults work on events, found in that text by the event-stream rules
 * (a block of lines ended by a blank line, dispatched when it holds a `data` field) or, for NDJSON,
 * one non-blank line each; the text outside the events they touch is left byte for byte.
 */
import { isEndMarker } from '../src/llm/end-marker';
import type { HeaderMap, StreamFormat } from '../src/model';
import { dataLines, type FaultStatus, type Override, type ReplayChunk } from '../src/override';

/** Status line and headers the page receives. */
export interface ReplayHead {
  status: number;
  statusText: string;
  headers: HeaderMap;
}

/** One thing the page receives, `atMs` after its request. */
export type ReplayStep =
  | { kind: 'head'; atMs: number; head: ReplayHead }
  | { kind: 'chunk'; atMs: number; text: string }
  /** `network-error`: the page's read rejects (XHR: `error`); `clean-end`: the body ends normally. */
  | { kind: 'end'; atMs: number; as: 'clean-end' | 'network-error' };

/** Status texts of the statuses the "another status" fault offers. */
export const FAULT_STATUS_TEXT: Record<FaultStatus, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A span of the body's text: an event-stream block (lines up to a blank line) or an NDJSON line. */
interface Block {
  start: number;
  end: number;
  /** Whether the page receives it as an event; if so, its type and data. */
  event: boolean;
  type: string;
  data: string;
}

interface Line {
  start: number;
  /** End of the line's content (before its terminator). */
  end: number;
  /** After its terminator. */
  next: number;
}

/** Lines ended by CRLF, LF or CR (WHATWG event-stream), or by the end of the text. */
function linesOf(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    const next = c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < to ? i + 2 : i + 1;
    lines.push({ start, end: i, next });
    start = next;
    i = next - 1;
  }
  if (start < to) lines.push({ start, end: to, next: to });
  return lines;
}

/** The field name and value of an event-stream line (one leading space stripped from the value). */
function fieldOf(line: string): [name: string, value: string] {
  const colon = line.indexOf(':');
  if (colon < 0) return [line, ''];
  const value = line.slice(colon + 1);
  return [line.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value];
}

function sseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  let event = false;
  let type = '';
  let data: string[] = [];
  for (const line of linesOf(text, 0, text.length)) {
    let content = text.slice(line.start, line.end);
    if (line.start === 0 && content.startsWith('\uFEFF')) content = content.slice(1);
    if (content === '' && line.next > line.end) {
      blocks.push({ start, end: line.next, event, type: type || 'message', data: data.join('\n') });
      start = line.next;
      event = false;
      type = '';
      data = [];
      continue;
    }
    const [name, value] = fieldOf(content);
    if (name === 'data') {
      event = true;
      data.push(value);
    } else if (name === 'event') type = value;
  }
  // A block the body ends in without a blank line is never dispatched.
  if (start < text.length) blocks.push({ start, end: text.length, event: false, type: '', data: '' });
  return blocks;
}

function ndjsonBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf + 1;
    const data = text.slice(start, lf < 0 ? end : lf).replace(/\r$/, '');
    // RFC 7464 json-seq starts each text with RS, which the NDJSON parser drops.
    const json = data.startsWith('\u001e') ? data.slice(1) : data;
    blocks.push({ start, end, event: json.trim() !== '', type: 'message', data });
    start = end;
  }
  return blocks;
}

/** The text of `block` with its data replaced by `data`, every other line kept as it was. */
function editedBlock(text: string, block: Block, format: StreamFormat, data: string): string {
  if (format === 'ndjson') {
    const line = text.slice(block.start, block.end);
    const terminator = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
    return `${data}${terminator}`;
  }
  let out = '';
  let replaced = false;
  for (const line of linesOf(text, block.start, block.end)) {
    const content = text.slice(line.start, line.end);
    const [name] = fieldOf(line.start === 0 ? content.replace(/^\uFEFF/, '') : content);
    if (content !== '' && name === 'data') {
      if (!replaced) out += dataLines(data);
      replaced = true;
      continue;
    }
    out += text.slice(line.start, line.next);
  }
  return out;
}

/** The events (1-based, as the page receives them) of a recorded body, with their type and data. */
export function eventsOf(
  chunks: readonly ReplayChunk[],
  format: StreamFormat,
): { type: string; data: string }[] {
  const text = chunks.map((c) => c.text).join('');
  const blocks = format === 'ndjson' ? ndjsonBlocks(text) : sseBlocks(text);
  return blocks.filter((b) => b.event).map(({ type, data }) => ({ type, data }));
}

/** A piece of the body between two cut points (chunk or block boundaries). */
interface Atom {
  text: string;
  chunk: number;
  /** Seconds of stall before it (the stall fault), added after the speed is applied. */
  stallMs: number;
}

/**
 * The steps of a replay of `override`: the head, then the body's chunks (their recorded text and
 * boundaries, at `elapsedMs / speed`; with speed null all at once), then the end, with the faults
 * applied.
 */
export function planReplay(override: Pick<Override, 'response' | 'timing' | 'faults'>): ReplayStep[] {
  const { response, faults } = override;
  const speed = override.timing.speed;
  const scale = (ms: number) => (speed === null ? 0 : ms / speed);
  const headAt = scale(response.headersMs);

  const status = faults.find((f) => f.kind === 'status');
  if (status) {
    const headers: HeaderMap = { 'content-type': 'application/json' };
    if (status.status === 429) headers['retry-after'] = String(status.retryAfter);
    const steps: ReplayStep[] = [
      {
        kind: 'head',
        atMs: headAt,
        head: { status: status.status, statusText: FAULT_STATUS_TEXT[status.status], headers },
      },
    ];
    if (status.body) steps.push({ kind: 'chunk', atMs: headAt, text: status.body });
    steps.push({ kind: 'end', atMs: headAt, as: 'clean-end' });
    return steps;
  }

  const chunks = response.chunks;
  const text = chunks.map((c) => c.text).join('');
  const blocks = response.format === 'ndjson' ? ndjsonBlocks(text) : sseBlocks(text);
  const eventBlock: number[] = [];
  blocks.forEach((block, index) => {
    if (block.event) eventBlock.push(index);
  });

  const cut = faults.find((f) => f.kind === 'cut');
  const stall = faults.find((f) => f.kind === 'stall');
  const edit = faults.find((f) => f.kind === 'edit');
  const dropEnd = faults.some((f) => f.kind === 'drop-end-marker');
  // Blocks after this one are not sent (the cut fault).
  const lastBlock = !cut
    ? blocks.length - 1
    : cut.afterEvent === 0
      ? -1
      : (eventBlock[cut.afterEvent - 1] ?? blocks.length - 1);
  const stallBlock = stall ? eventBlock[stall.beforeEvent - 1] : undefined;
  const editBlock = edit ? eventBlock[edit.event - 1] : undefined;

  // Cut points: every chunk boundary and every block boundary.
  const atoms: Atom[] = [];
  let chunkIndex = 0;
  let chunkEnd = chunks[0]?.text.length ?? 0;
  for (let b = 0; b <= lastBlock && b < blocks.length; b++) {
    const block = blocks[b] as Block;
    const stallMs = stallBlock !== undefined && b >= stallBlock ? (stall?.seconds ?? 0) * 1000 : 0;
    const dropped = dropEnd && block.event && isEndMarker(block.type, block.data);
    const pieces: Atom[] = [];
    let at = block.start;
    while (at < block.end) {
      while (at >= chunkEnd && chunkIndex < chunks.length - 1) {
        chunkIndex++;
        chunkEnd += chunks[chunkIndex]?.text.length ?? 0;
      }
      const to = Math.min(block.end, chunkEnd);
      pieces.push({ text: text.slice(at, to), chunk: chunkIndex, stallMs });
      at = to;
    }
    if (dropped) continue;
    if (b === editBlock && edit) {
      // The edited event arrives when its last piece did: that is when the page received it.
      for (const piece of pieces) piece.text = '';
      const last = pieces[pieces.length - 1];
      if (last) last.text = editedBlock(text, block, response.format, edit.data);
    }
    atoms.push(...pieces);
  }

  const steps: ReplayStep[] = [{ kind: 'head', atMs: headAt, head: headOf(response) }];
  let lastAt = headAt;
  let current: { chunk: number; stallMs: number; text: string } | null = null;
  const flush = () => {
    if (!current || current.text === '') return;
    const recorded = chunks[current.chunk]?.elapsedMs ?? 0;
    lastAt = Math.max(lastAt, scale(recorded) + current.stallMs);
    steps.push({ kind: 'chunk', atMs: lastAt, text: current.text });
  };
  for (const atom of atoms) {
    // All at once: one chunk (two around a stall); otherwise one per recorded chunk.
    const same =
      current && current.stallMs === atom.stallMs && (speed === null || current.chunk === atom.chunk);
    if (current && same) current.text += atom.text;
    else {
      flush();
      current = { ...atom };
    }
  }
  flush();
  steps.push({ kind: 'end', atMs: lastAt, as: cut?.as ?? 'clean-end' });
  return steps;
}

function headOf(response: Override['response']): ReplayHead {
  return { status: response.status, statusText: response.statusText, headers: { ...response.headers } };
}

/**
 * Hands out a replay's steps as time passes: `due(now)` gives each step once, in order, when its
 * time has come (times relative to `startMs`); `nextAt` says when to look again. Cancelled (the page
 * cancelled or aborted), it gives nothing more.
 */
export class ReplaySchedule {
  private next = 0;
  private cancelled = false;

  constructor(
    private readonly steps: readonly ReplayStep[],
    private readonly startMs: number,
  ) {}

  /** Steps whose time has come at `nowMs`, not given before. */
  due(nowMs: number): ReplayStep[] {
    const out: ReplayStep[] = [];
    while (!this.cancelled && this.next < this.steps.length) {
      const step = this.steps[this.next] as ReplayStep;
      if (this.startMs + step.atMs > nowMs) break;
      out.push(step);
      this.next++;
    }
    return out;
  }

  /** When the next step is due (absolute ms), or null when every step was given or the replay cancelled. */
  get nextAt(): number | null {
    const step = this.steps[this.next];
    return this.cancelled || !step ? null : this.startMs + step.atMs;
  }

  get done(): boolean {
    return this.nextAt === null;
  }

  cancel(): void {
    this.cancelled = true;
  }
}
