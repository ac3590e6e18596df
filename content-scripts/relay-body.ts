/**
 * What the relay keeps of a tapped body: the bytes the page read, undecoded, until a panel needs the
 * text. Decoding 50 MB is some 35 ms of the page's thread (docs/performance.md, figure 1); a tab that
 * no panel ever watches should not pay it. A panel that attaches, or watches, gets the text: each
 * cell is decoded once, in order, by its connection's streaming UTF-8 decoder, when its message is
 * posted (content-scripts/relay-main.ts), and keeps its text from then on.
 */

import { type ChunksItem, charsOf, type WireItem } from '../src/protocol';

/** One chunk of a body: a read (or part of one), by its seq and read time. */
export interface BodyCell {
  seq: number;
  time: number;
  /** The bytes the page read (a view of the agent's slab), or their text once decoded (XHR: always text). */
  data: Uint8Array | string;
  /** The agent's slab that `data` views, while it does (SlabUses). */
  slab?: ArrayBuffer;
  /**
   * The body ended inside a UTF-8 sequence: this cell is the decoder's flush (U+FFFD, as the
   * Encoding spec's decoder gives at the end of the stream); its `data` is '' until decoded.
   */
  flush?: true;
}

/** The text state of one connection's body, shared by all its items. */
export interface BodyText {
  decoder: TextDecoder | null;
  /** Seq of the next cell the decoder expects; a cell after a gap (cells not kept) restarts it. */
  nextSeq: number;
}

/**
 * The relay's form of a `chunks` wire item: cells not yet decoded. It exists only inside the relay;
 * `toWireItems` turns it into a `chunks` item when it is posted.
 */
export interface BodyItem {
  type: 'body';
  connectionId: string;
  cells: BodyCell[];
  /** Body bytes read so far (counted by the relay), as in ChunksItem. */
  bytes: number;
  text: BodyText;
}

/** What the relay passes around: wire items, with bodies in their undecoded form. */
export type RelayItem = Exclude<WireItem, ChunksItem> | BodyItem;

/** Bytes (or characters, for text) a body item's cells hold: an upper bound of their characters. */
export function cellsSize(cells: readonly BodyCell[]): number {
  let size = 0;
  for (const cell of cells) size += cell.data.length;
  return size;
}

/** The bytes of a lead byte's sequence (Encoding spec, UTF-8 decoder); 0 for a byte that is not one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `byte` may follow `lead` as the second byte of its sequence (Encoding spec, UTF-8 decoder). */
function validSecond(lead: number, byte: number): boolean {
  if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
  if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
  if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
  if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  return byte >= 0x80 && byte <= 0xbf;
}

/**
 * Whether a body whose last bytes are `tail` (at most its last 3) ends inside a UTF-8 sequence, so
 * that the decoder's flush gives U+FFFD: the last lead byte among them, followed only by valid
 * continuation bytes, fewer than its sequence needs. Earlier bytes cannot matter: a lead byte always
 * starts a new sequence, and no sequence is longer than 4.
 */
export function endsInsideSequence(tail: readonly number[]): boolean {
  for (let i = tail.length - 1; i >= Math.max(0, tail.length - 3); i--) {
    const lead = tail[i] as number;
    const length = sequenceLength(lead);
    if (length === 0) {
      if (lead >= 0x80 && lead <= 0xbf) continue; // a continuation byte: look further back
      return false;
    }
    const following = tail.length - 1 - i;
    if (following >= length - 1) return false;
    if (following >= 1 && !validSecond(lead, tail[i + 1] as number)) return false;
    return true;
  }
  return false;
}

/**
 * How many undecoded cells view each of the agent's slabs. A slab that none views any more (all its
 * cells decoded) goes back to the agent (`release`), which copies its next reads into it: fresh
 * memory costs the page a page fault per 4 KiB (src/protocol.ts, RelaySlabsMessage). A slab with a
 * cell that is never decoded (evicted, or of a connection not kept) is simply left to the collector;
 * the count never reaches zero early, since every view is counted when it is made.
 */
export class SlabUses {
  private readonly uses = new WeakMap<ArrayBuffer, number>();

  constructor(private readonly release: (slab: ArrayBuffer) => void = () => {}) {}

  /** A cell now views `slab`. */
  add(slab: ArrayBuffer): void {
    this.uses.set(slab, (this.uses.get(slab) ?? 0) + 1);
  }

  /** A cell that viewed `slab` was decoded. */
  done(slab: ArrayBuffer): void {
    const left = (this.uses.get(slab) ?? 1) - 1;
    if (left > 0) {
      this.uses.set(slab, left);
      return;
    }
    this.uses.delete(slab);
    this.release(slab);
  }

  /** No cell views `slab` (its reads were copied): it goes back at once. */
  unused(slab: ArrayBuffer): void {
    if (!this.uses.has(slab)) this.release(slab);
  }
}

/**
 * Lets go of a body item no one will read (not kept, and not sent): its cells' slabs go back to the
 * agent. A page that leaves a stream running with no panel open fills the buffer, and from then on
 * every read is not kept: without this, each of its slabs would be fresh memory.
 */
export function discardCells(item: BodyItem, slabs: SlabUses): void {
  for (const cell of item.cells) {
    if (!cell.slab) continue;
    slabs.done(cell.slab);
    delete cell.slab;
    cell.data = '';
  }
}

/** Decodes what is not yet text among `item`'s cells, in order, and returns it as a `chunks` item. */
export function bodyText(item: BodyItem, slabs?: SlabUses): ChunksItem {
  const state = item.text;
  let text = '';
  const length: number[] = [];
  const time: number[] = [];
  for (const cell of item.cells) {
    if (typeof cell.data !== 'string' || cell.flush) {
      if (!state.decoder || cell.seq !== state.nextSeq) state.decoder = new TextDecoder('utf-8');
      const decoder = state.decoder;
      const bytes = cell.data;
      cell.data = cell.flush ? decoder.decode() : decoder.decode(bytes as Uint8Array, { stream: true });
      if (cell.slab) {
        slabs?.done(cell.slab);
        delete cell.slab;
      }
      delete cell.flush;
      state.nextSeq = cell.seq + 1;
    }
    text += cell.data;
    length.push(cell.data.length);
    time.push(cell.time);
  }
  return {
    type: 'chunks',
    connectionId: item.connectionId,
    firstSeq: item.cells[0]?.seq ?? 0,
    text,
    length,
    time,
    bytes: item.bytes,
  };
}

/** Relay items as they go on the wire: body cells decoded into `chunks` items. */
export function toWireItems(items: readonly RelayItem[], slabs?: SlabUses): WireItem[] {
  return items.map((item) => (item.type === 'body' ? bodyText(item, slabs) : item));
}

/**
 * Characters a page controls in a relay item (`charsOf`), undecoded cells counted by their bytes: a
 * body's text never has more characters than it has bytes, so every bound counted this way holds.
 */
export function relayCharsOf(item: RelayItem): number {
  return item.type === 'body' ? cellsSize(item.cells) : charsOf(item);
}
