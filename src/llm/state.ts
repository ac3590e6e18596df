/**
 * Mutable reassembly state shared by the shape handlers, and its conversion to an immutable
 * {@link LlmMessage} snapshot. Every update is O(size of the update).
 */
import { JSON_WALK_LIMITS } from '../limits';
import type { StreamRecord } from '../model';
import { isObject, type JsonObject } from './json';
import type {
  LlmChoice,
  LlmMessage,
  LlmShape,
  LlmToolCall,
  NodeUpdate,
  OperationResult,
  RpcMessage,
} from './types';
import { normaliseUsage } from './usage';

/** One tool call being assembled; `snapshot` parses its arguments (cached while unchanged). */
export class ToolCallState {
  id: string | undefined;
  name: string | undefined;
  arguments = '';
  // Parse cache: `arguments` is re-parsed only when it changed since the last snapshot.
  private parsedFor: string | null = null;
  private parsed: { value: unknown } | { error: string } | null = null;

  constructor(readonly index: number) {}

  snapshot(): LlmToolCall {
    const call: LlmToolCall = { index: this.index, arguments: this.arguments };
    if (this.id !== undefined) call.id = this.id;
    if (this.name !== undefined) call.name = this.name;
    if (this.arguments === '') return call;
    if (this.parsedFor !== this.arguments) {
      this.parsedFor = this.arguments;
      try {
        this.parsed = { value: JSON.parse(this.arguments) };
      } catch (error) {
        this.parsed = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    if (this.parsed && 'value' in this.parsed) call.argumentsParsed = this.parsed.value;
    else if (this.parsed) call.argumentsError = this.parsed.error;
    return call;
  }
}

/** One choice (candidate) being assembled: its text, reasoning, refusal, tool calls and finish reason. */
export class ChoiceState {
  text = '';
  reasoning = '';
  refusal = '';
  finishReason: string | null = null;
  private readonly calls = new Map<string, ToolCallState>();
  private sorted = true;
  private lastIndex = -1;

  constructor(readonly index: number) {}

  /** The tool call under `key`, created (numbered `index`, or next in order) when new. */
  toolCall(key: string, index?: number): ToolCallState {
    let call = this.calls.get(key);
    if (!call) {
      call = new ToolCallState(index ?? this.calls.size);
      if (call.index < this.lastIndex) this.sorted = false;
      this.lastIndex = call.index;
      this.calls.set(key, call);
    }
    return call;
  }

  /** A tool call under a fresh key (for providers that send each call whole). */
  newToolCall(): ToolCallState {
    return this.toolCall(`#${this.calls.size}`);
  }

  get toolCallCount(): number {
    return this.calls.size;
  }

  snapshotToolCalls(): LlmToolCall[] {
    const calls = [...this.calls.values()].map((call) => call.snapshot());
    return this.sorted ? calls : calls.sort((a, b) => a.index - b.index);
  }

  snapshot(toolCalls = this.snapshotToolCalls()): LlmChoice {
    const choice: LlmChoice = {
      index: this.index,
      text: this.text,
      reasoning: this.reasoning,
      toolCalls,
      finishReason: this.finishReason,
    };
    if (this.refusal) choice.refusal = this.refusal;
    return choice;
  }
}

/** Longest stretch of streamed text or arguments a summary quotes. */
const SUMMARY_QUOTE_CHARS = 120;

/** What the record being applied added; the Summary column's line is made from it. */
class RecordEffect {
  text = '';
  reasoning = '';
  tool: ToolCallState | null = null;
  toolArguments = '';
  usage = false;
  finishReason: string | null = null;
  readonly errors: string[] = [];
  terminated = false;
}

/** `text` cut to `max` characters with an ellipsis. */
export function clip(text: string, max = SUMMARY_QUOTE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Everything reassembled so far, plus the record being applied (for times and seqs). */
export class MessageState {
  terminated = false;
  readonly errors: string[] = [];
  readonly badJsonSeqs: number[] = [];
  readonly errorSeqs: number[] = [];
  /** `mcp`: the JSON-RPC messages, in order. */
  rpc: RpcMessage[] | null = null;
  sessionId: string | undefined;
  endpoint: string | undefined;
  /** `graphql-sse`, `trpc`: the operation results, in order. */
  results: OperationResult[] | null = null;
  /** `ag-ui`, `langgraph`: the agent state; `undefined` until one arrives. */
  agentState: unknown;
  updates: NodeUpdate[] | null = null;
  serverTokensPerSecond: number | undefined;
  /**
   * A summary the shape's handler wrote for the record being applied; when it leaves it unset the
   * summary is made from what the record added (text, tool call, usage…).
   */
  summary: string | undefined;
  private effect = new RecordEffect();
  private readonly choices = new Map<number, ChoiceState>();
  private firstChoice: ChoiceState | null = null;
  private usage: Record<string, number> | null = null;
  private firstContentTime: number | null = null;
  private readonly contentSeqs: number[] | null;
  /** The record whose event is being applied. */
  record: StreamRecord | null = null;

  constructor(
    readonly shape: LlmShape,
    collectContentSeqs: boolean,
  ) {
    this.contentSeqs = collectContentSeqs ? [] : null;
  }

  /** The choice (candidate) with this index, created when new. */
  choice(index = 0): ChoiceState {
    let choice = this.choices.get(index);
    if (!choice) {
      choice = new ChoiceState(index);
      this.choices.set(index, choice);
      if (!this.firstChoice || index < this.firstChoice.index) this.firstChoice = choice;
    }
    return choice;
  }

  addText(choice: ChoiceState, text: string | undefined): void {
    if (!text) return;
    choice.text += text;
    this.effect.text += text;
    this.contentAdded(true);
  }

  /** Replaces the text whole (a snapshot that restates it); the summary shows what it added, if anything. */
  setText(choice: ChoiceState, text: string): void {
    if (choice.text === text) return;
    if (text.startsWith(choice.text)) this.effect.text += text.slice(choice.text.length);
    choice.text = text;
    this.contentAdded(true);
  }

  addReasoning(choice: ChoiceState, text: string | undefined): void {
    if (!text) return;
    choice.reasoning += text;
    this.effect.reasoning += text;
    this.contentAdded(true);
  }

  addRefusal(choice: ChoiceState, text: string | undefined): void {
    if (!text) return;
    choice.refusal += text;
    this.contentAdded(true);
  }

  setToolName(call: ToolCallState, name: string | undefined): void {
    if (!name || call.name === name) return;
    call.name = name;
    this.effect.tool = call;
    this.contentAdded(false);
  }

  appendArguments(call: ToolCallState, text: string | undefined): void {
    if (!text) return;
    call.arguments += text;
    this.toolEffect(call, text);
    this.contentAdded(false);
  }

  /** Replaces the arguments with the provider's complete text (a `done` event that repeats them whole). */
  setArguments(call: ToolCallState, text: string): void {
    if (call.arguments === text) return;
    call.arguments = text;
    this.toolEffect(call, text);
    this.contentAdded(false);
  }

  private toolEffect(call: ToolCallState, text: string): void {
    if (this.effect.tool !== call) this.effect.toolArguments = '';
    this.effect.tool = call;
    this.effect.toolArguments += text;
  }

  /** Records usage fields; `merge` keeps earlier fields the new object does not repeat. */
  setUsage(raw: JsonObject, merge = false): void {
    const flat: Record<string, number> = merge && this.usage ? this.usage : {};
    flatten(raw, '', flat);
    this.usage = flat;
    this.effect.usage = true;
  }

  /** Sets a choice's finish reason (the summary says so). */
  finish(choice: ChoiceState, reason: string | undefined): void {
    if (!reason) return;
    choice.finishReason = reason;
    this.effect.finishReason = reason;
  }

  /** The protocol's end marker arrived. */
  end(): void {
    this.terminated = true;
    this.effect.terminated = true;
  }

  error(message: string): void {
    this.errors.push(message);
    this.effect.errors.push(message);
    this.markError();
  }

  /** Flags the record being applied as carrying an error (without adding to `errors`). */
  markError(): void {
    const seq = this.record?.seq;
    if (seq !== undefined && this.errorSeqs.at(-1) !== seq) this.errorSeqs.push(seq);
  }

  /** Starts applying a record: what it adds is collected for its summary. */
  begin(record: StreamRecord): void {
    this.record = record;
    this.summary = undefined;
    this.effect = new RecordEffect();
  }

  /**
   * Ends applying the record; returns its summary: the handler's own, or else one made from what
   * it added, `undefined` when it added nothing of note.
   */
  finishRecord(): string | undefined {
    this.record = null;
    if (this.summary !== undefined) return this.summary || undefined;
    const effect = this.effect;
    const parts: string[] = [];
    if (effect.reasoning) parts.push(`thinking ${JSON.stringify(clip(effect.reasoning))}`);
    if (effect.text) parts.push(JSON.stringify(clip(effect.text)));
    if (effect.tool) {
      const name = effect.tool.name ?? `#${effect.tool.index}`;
      parts.push(`tool_call ${name}${effect.toolArguments ? ` ${clip(effect.toolArguments)}` : ''}`);
    }
    if (effect.usage && this.usage) {
      const usage = normaliseUsage(this.shape, this.usage);
      parts.push(`usage ${usage.inputTokens ?? '?'} → ${usage.outputTokens ?? '?'}`);
    }
    if (effect.finishReason) parts.push(`finish ${effect.finishReason}`);
    for (const error of effect.errors) parts.push(`error ${clip(error)}`);
    if (parts.length === 0 && effect.terminated) parts.push('end');
    return parts.length > 0 ? parts.join(' · ') : undefined;
  }

  badJson(seq: number): void {
    this.badJsonSeqs.push(seq);
  }

  private contentAdded(countsAsFirstToken: boolean): void {
    const record = this.record;
    if (!record) return;
    if (countsAsFirstToken && this.firstContentTime === null) this.firstContentTime = record.time;
    if (this.contentSeqs && this.contentSeqs.at(-1) !== record.seq) this.contentSeqs.push(record.seq);
  }

  snapshot(): LlmMessage {
    const first = this.firstChoice ?? new ChoiceState(0);
    const firstCalls = first.snapshotToolCalls();
    const message: LlmMessage = {
      shape: this.shape,
      text: first.text,
      reasoning: first.reasoning,
      toolCalls: firstCalls,
      finishReason: first.finishReason,
      usage: this.usage ? normaliseUsage(this.shape, this.usage) : null,
      errors: this.errors.slice(),
      terminated: this.terminated,
      firstContentTime: this.firstContentTime,
      badJsonSeqs: this.badJsonSeqs.slice(),
      errorSeqs: this.errorSeqs.slice(),
    };
    if (first.refusal) message.refusal = first.refusal;
    if (this.rpc) message.rpc = this.rpc.slice();
    if (this.sessionId !== undefined) message.sessionId = this.sessionId;
    if (this.endpoint !== undefined) message.endpoint = this.endpoint;
    if (this.results) message.results = this.results.slice();
    if (this.agentState !== undefined) message.state = this.agentState;
    if (this.updates) message.updates = this.updates.slice();
    if (this.serverTokensPerSecond !== undefined) message.serverTokensPerSecond = this.serverTokensPerSecond;
    if (this.choices.size > 1) {
      message.choices = [...this.choices.values()]
        .sort((a, b) => a.index - b.index)
        .map((choice) => (choice === first ? choice.snapshot(firstCalls) : choice.snapshot()));
    }
    if (this.contentSeqs) message.contentRecordSeqs = this.contentSeqs.slice();
    return message;
  }
}

/**
 * Copies the finite numbers of `value` into `out`, nested objects under dotted keys. Iterative and
 * bounded by the walk limit (src/limits.ts): a page chooses how deep its usage object nests.
 */
function flatten(value: JsonObject, prefix: string, out: Record<string, number>): void {
  // Entries pushed in reverse, so that they come out in the object's order, nested ones in place.
  const stack: [path: string, field: unknown, depth: number][] = [];
  const pushEntries = (object: JsonObject, path: string, depth: number) => {
    const entries = Object.entries(object);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, field] = entries[i] as [string, unknown];
      stack.push([path + key, field, depth]);
    }
  };
  pushEntries(value, prefix, 0);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [path, field, depth] = top;
    if (typeof field === 'number' && Number.isFinite(field)) out[path] = field;
    else if (isObject(field) && depth + 1 < JSON_WALK_LIMITS.maxNesting)
      pushEntries(field, `${path}.`, depth + 1);
  }
}
