import { lazy, Suspense, useDeferredValue, useState } from 'react';
import { t } from '../../src/i18n';
import { MARKDOWN_MAX_CHARS } from '../../src/limits';
import type { LlmChoice, LlmMessage, LlmShape, LlmToolCall } from '../../src/llm';
import { loadPreference, savePreference } from '../persisted';
import { usePanelStore } from '../store';
import { useLlmMessage, useShapeDecided } from './llm-message';
import { ResultsView, RpcView, StateView, UpdatesView } from './ProtocolViews';

// The Markdown renderer is most of the panel's code by size: it loads when an answer is first shown.
const Markdown = lazy(() => import('./Markdown').then((module) => ({ default: module.Markdown })));

/** How the answer text is shown: rendered as Markdown, or the raw text as sent. */
type TextMode = 'rendered' | 'raw';
const TEXT_MODE_KEY = 'messageTextMode';
const isTextMode = (value: unknown): value is TextMode => value === 'rendered' || value === 'raw';

/** Shapes whose events carry no answer text: their view is their messages or results. */
const NON_TEXT_SHAPES: ReadonlySet<LlmShape> = new Set(['mcp', 'graphql-sse', 'trpc']);

/** Display names of the shapes (product names, not translated). */
export const SHAPE_NAMES: Record<LlmShape, string> = {
  'openai-chat': 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  gemini: 'Google Gemini',
  'vercel-ai': 'Vercel AI SDK',
  ollama: 'Ollama',
  'ag-ui': 'AG-UI',
  langgraph: 'LangGraph',
  mcp: 'MCP (JSON-RPC)',
  'graphql-sse': 'GraphQL over SSE',
  trpc: 'tRPC subscription',
};

/** The end marker each shape's protocol sends last; its absence after the end means truncation. */
const END_MARKERS: Record<LlmShape, string> = {
  'openai-chat': 'data: [DONE]',
  'openai-responses': 'response.completed',
  anthropic: 'message_stop',
  gemini: 'finishReason',
  'vercel-ai': 'finish',
  ollama: '"done": true',
  'ag-ui': 'RUN_FINISHED',
  langgraph: 'event: end',
  mcp: 'the response to its request',
  'graphql-sse': 'complete',
  trpc: 'return',
};

/**
 * The message the selected connection's stream carries, reassembled live: the answer rendered as
 * Markdown (raw HTML shown as text, links not followed) or raw, reasoning, tool calls, finish
 * reason, usage and errors; for MCP its JSON-RPC exchanges, for subscriptions their results, for
 * agents their state.
 */
export function MessageView() {
  const connectionId = usePanelStore((s) => s.selectedConnectionId);
  const view = usePanelStore((s) =>
    s.selectedConnectionId ? s.capture.connections.get(s.selectedConnectionId) : undefined,
  );
  const message = useLlmMessage(connectionId);
  const decided = useShapeDecided(connectionId);
  const [textMode, setTextModeState] = useState(() =>
    loadPreference<TextMode>(TEXT_MODE_KEY, 'rendered', isTextMode),
  );
  function setTextMode(mode: TextMode) {
    setTextModeState(mode);
    savePreference(TEXT_MODE_KEY, mode);
  }
  if (!view) return <div className="events-empty">{t('llmSelectConnection')}</div>;
  if (!message) {
    const waiting = view.end === null && !decided;
    return (
      <div className="llm-view scroll">
        <p className="llm-none">{waiting ? t('llmWaiting') : t('llmNoMessage')}</p>
        <p className="llm-hint">{t('llmKnownShapes')}</p>
      </div>
    );
  }
  const live = view.end === null;
  const truncated = !live && !message.terminated;
  const hasText = !NON_TEXT_SHAPES.has(message.shape);
  return (
    <div className="llm-view scroll">
      <header className="llm-header">
        <span className="llm-shape">{SHAPE_NAMES[message.shape]}</span>
        <StatusBadge live={live} truncated={truncated} />
        {message.finishReason !== null && (
          <span className="llm-finish">
            {t('llmFinishReason')}: <code>{message.finishReason}</code>
          </span>
        )}
        {hasText && (
          <fieldset className="segmented llm-text-mode">
            <legend className="visually-hidden">{t('llmTextView')}</legend>
            <button
              type="button"
              aria-pressed={textMode === 'rendered'}
              onClick={() => setTextMode('rendered')}
            >
              {t('llmRendered')}
            </button>
            <button type="button" aria-pressed={textMode === 'raw'} onClick={() => setTextMode('raw')}>
              {t('panelRaw')}
            </button>
          </fieldset>
        )}
      </header>
      {truncated && view.end && (
        <p className="llm-banner llm-truncated" role="alert">
          {t('llmTruncated', view.end.state, END_MARKERS[message.shape])}
        </p>
      )}
      {message.errors.length > 0 && (
        <section className="llm-banner llm-errors" aria-label={t('llmErrors')}>
          <h3>{t('llmErrors')}</h3>
          <ul>
            {message.errors.map((error, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: errors are append-only, so a position is a stable key
              <li key={i}>{error}</li>
            ))}
          </ul>
        </section>
      )}
      {message.badJsonSeqs.length > 0 && (
        <p className="llm-banner llm-bad-json">{t('llmBadJson', String(message.badJsonSeqs.length))}</p>
      )}
      {message.shape === 'mcp' && <RpcView message={message} view={view} />}
      {message.results && <ResultsView results={message.results} />}
      {!hasText ? null : message.choices ? (
        message.choices.map((choice) => (
          <section
            key={choice.index}
            className="llm-choice"
            aria-label={t('llmChoice', String(choice.index))}
          >
            <h3 className="llm-choice-title">
              {t('llmChoice', String(choice.index))}
              {choice.finishReason !== null && (
                <code className="llm-choice-finish">{choice.finishReason}</code>
              )}
            </h3>
            <ChoiceBody choice={choice} live={live} textMode={textMode} />
          </section>
        ))
      ) : (
        <ChoiceBody choice={message} live={live} textMode={textMode} />
      )}
      {message.state !== undefined && <StateView state={message.state} />}
      {message.updates && message.updates.length > 0 && <UpdatesView updates={message.updates} />}
      {message.usage && <Usage usage={message.usage} />}
    </div>
  );
}

function StatusBadge({ live, truncated }: { live: boolean; truncated: boolean }) {
  if (live) return <span className="llm-status llm-status-live">{t('llmStreaming')}</span>;
  if (truncated) return <span className="llm-status llm-status-truncated">{t('llmTruncatedBadge')}</span>;
  return <span className="llm-status llm-status-done">{t('llmComplete')}</span>;
}

type ChoiceContent = Pick<LlmChoice | LlmMessage, 'text' | 'reasoning' | 'refusal' | 'toolCalls'>;

/** The answer text, rendered as Markdown or raw; too long a text is always raw. */
function AnswerText({ text, live, mode }: { text: string; live: boolean; mode: TextMode }) {
  // Rendering follows a fast stream as React has time; the raw text follows every update.
  const deferred = useDeferredValue(text);
  const raw = <div className={live ? 'llm-prose llm-text llm-live' : 'llm-prose llm-text'}>{text}</div>;
  if (mode === 'raw' || text.length > MARKDOWN_MAX_CHARS) return raw;
  return (
    <Suspense fallback={raw}>
      <div className={live ? 'llm-markdown llm-live' : 'llm-markdown'}>
        <Markdown text={deferred} live={live} />
      </div>
    </Suspense>
  );
}

function ChoiceBody({
  choice,
  live,
  textMode,
}: {
  choice: ChoiceContent;
  live: boolean;
  textMode: TextMode;
}) {
  const hasText = choice.text !== '';
  return (
    <>
      {choice.reasoning !== '' && (
        <details className="llm-reasoning">
          <summary>
            {t('llmReasoning')}{' '}
            <span className="llm-muted">· {t('llmChars', String(choice.reasoning.length))}</span>
          </summary>
          <div className="llm-prose">{choice.reasoning}</div>
        </details>
      )}
      {(hasText || choice.toolCalls.length === 0) && (
        <section className="llm-section" aria-label={t('llmText')}>
          {hasText ? (
            <AnswerText text={choice.text} live={live} mode={textMode} />
          ) : (
            <p className="llm-muted">{live ? t('llmNoTextYet') : t('llmNoText')}</p>
          )}
        </section>
      )}
      {choice.refusal !== undefined && (
        <section className="llm-section llm-refusal" aria-label={t('llmRefusal')}>
          <h3>{t('llmRefusal')}</h3>
          <div className="llm-prose">{choice.refusal}</div>
        </section>
      )}
      {choice.toolCalls.length > 0 && (
        <section className="llm-section" aria-label={t('llmToolCalls')}>
          <h3>{t('llmToolCalls')}</h3>
          {choice.toolCalls.map((call) => (
            <ToolCall key={call.index} call={call} live={live} />
          ))}
        </section>
      )}
    </>
  );
}

// The reassembler hands out the same parsed value while a call's arguments are unchanged, so a live
// view re-renders a long argument object without stringifying it again.
const prettyCache = new WeakMap<object, string>();

function prettyArguments(call: LlmToolCall): string {
  const parsed = call.argumentsParsed;
  if (parsed === undefined) return call.arguments;
  if (typeof parsed !== 'object' || parsed === null) return JSON.stringify(parsed);
  let pretty = prettyCache.get(parsed);
  if (pretty === undefined) {
    pretty = JSON.stringify(parsed, null, 2);
    prettyCache.set(parsed, pretty);
  }
  return pretty;
}

function ToolCall({ call, live }: { call: LlmToolCall; live: boolean }) {
  const pretty = prettyArguments(call);
  return (
    <article className="llm-tool" aria-label={call.name ?? call.id ?? String(call.index)}>
      <header>
        <code className="llm-tool-name">{call.name ?? '?'}</code>
        {call.id !== undefined && <span className="llm-muted">{call.id}</span>}
      </header>
      {call.arguments === '' ? (
        <p className="llm-muted">{t('llmNoArgs')}</p>
      ) : (
        <pre className="llm-args">{pretty}</pre>
      )}
      {call.argumentsError !== undefined && (
        <p className={live ? 'llm-args-note' : 'llm-args-note llm-args-bad'}>
          ⚠ {t(live ? 'llmArgsIncomplete' : 'llmArgsInvalid', call.argumentsError)}
        </p>
      )}
    </article>
  );
}

const NORMALISED_USAGE = [
  ['inputTokens', 'llmInputTokens'],
  ['outputTokens', 'llmOutputTokens'],
  ['totalTokens', 'llmTotalTokens'],
] as const;

function Usage({ usage }: { usage: Record<string, number> }) {
  const provider = Object.entries(usage).filter(([key]) => !NORMALISED_USAGE.some(([name]) => name === key));
  return (
    <section className="llm-section llm-usage" aria-label={t('llmUsage')}>
      <h3>{t('llmUsage')}</h3>
      <dl className="llm-tokens">
        {NORMALISED_USAGE.map(([key, label]) =>
          usage[key] === undefined ? null : (
            <div key={key}>
              <dt>{t(label)}</dt>
              <dd>{usage[key].toLocaleString()}</dd>
            </div>
          ),
        )}
      </dl>
      {provider.length > 0 && (
        <details>
          <summary>{t('llmProviderFields')}</summary>
          <table className="llm-usage-fields">
            <tbody>
              {provider.map(([key, value]) => (
                <tr key={key}>
                  <td>
                    <code>{key}</code>
                  </td>
                  <td className="num">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
