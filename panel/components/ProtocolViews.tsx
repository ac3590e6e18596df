import { useMemo, useState } from 'react';
import { JsonView } from 'react-json-view-lite';
import { t } from '../../src/i18n';
import {
  describeRpc,
  isRpcFailure,
  type LlmMessage,
  type NodeUpdate,
  type OperationResult,
  pairRpc,
  type RpcExchange,
  type RpcMessage,
  type RpcSource,
} from '../../src/llm';
import type { ConnectionView } from '../capture-model';
import { usePanelStore } from '../store';
import { JSON_TREE_STYLES } from './EventDetail';
import { messageOf } from './llm-message';

const openOneLevel = (level: number) => level < 1;

/** A JSON value as a collapsible tree (objects and arrays) or as its JSON text. */
export function JsonValue({
  value,
  open = openOneLevel,
}: {
  value: unknown;
  open?: (level: number) => boolean;
}) {
  if (typeof value === 'object' && value !== null) {
    return (
      <div className="json">
        <JsonView data={value} style={JSON_TREE_STYLES} shouldExpandNode={open} />
      </div>
    );
  }
  return <pre className="llm-args">{JSON.stringify(value) ?? String(value)}</pre>;
}

/** The path of a connection's URL, for telling connections apart in the whole-tab view. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function sourceOf(view: ConnectionView): RpcSource | null {
  const message = messageOf(view);
  if (message?.shape !== 'mcp' || !message.rpc) return null;
  const source: RpcSource = { connectionId: view.info.id, messages: message.rpc };
  if (message.sessionId !== undefined) source.sessionId = message.sessionId;
  return source;
}

function RpcLine({ message, request }: { message: RpcMessage; request?: RpcMessage }) {
  return (
    <span className={isRpcFailure(message) ? 'rpc-line rpc-failure' : 'rpc-line'}>
      {describeRpc(message, request)}
    </span>
  );
}

function Exchange({ exchange, connectionUrl }: { exchange: RpcExchange; connectionUrl?: string }) {
  const { request, response, related } = exchange;
  const failed = response !== undefined && isRpcFailure(response);
  return (
    <details className={failed ? 'rpc-exchange rpc-failed' : 'rpc-exchange'}>
      <summary>
        {response ? (
          <RpcLine message={response} request={request} />
        ) : request ? (
          <span className="rpc-line">
            {describeRpc(request)} <span className="llm-muted">· {t('rpcNoResponse')}</span>
          </span>
        ) : related[0] ? (
          <RpcLine message={related[0]} />
        ) : null}
        {related.length > 0 && request && <span className="rpc-count">+{related.length}</span>}
        {connectionUrl && <span className="rpc-connection llm-muted">{connectionUrl}</span>}
      </summary>
      <div className="rpc-body">
        {request?.params !== undefined && (
          <section>
            <h4>{t('rpcParams')}</h4>
            <JsonValue value={request.params} />
          </section>
        )}
        {related.length > 0 && request && (
          <section>
            <h4>{t('rpcRelated')}</h4>
            <ul className="rpc-related">
              {related.map((message, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the list only grows at its end
                <li key={i}>
                  <RpcLine message={message} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {!request && related.length === 1 && related[0]?.params !== undefined && (
          <JsonValue value={related[0].params} />
        )}
        {response?.error && (
          <section>
            <h4>{t('rpcError')}</h4>
            <JsonValue value={response.error} />
          </section>
        )}
        {response && 'result' in response && (
          <section>
            <h4>{t('rpcResult')}</h4>
            <JsonValue value={response.result} open={(level) => level < 2} />
          </section>
        )}
      </div>
    </details>
  );
}

/**
 * The JSON-RPC view of an MCP connection: each request with its notifications, the server's
 * requests made while serving it, and its response with its duration; or the same across every MCP
 * connection of the tab, paired within each session.
 */
export function RpcView({ message, view }: { message: LlmMessage; view: ConnectionView }) {
  const [scope, setScope] = useState<'connection' | 'tab'>('connection');
  const connections = usePanelStore((s) => s.capture.connections);
  // `message` stands for the selected connection's version; `connections` for the others'.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const { exchanges, urls } = useMemo(() => {
    const views = scope === 'tab' ? [...connections.values()] : [view];
    const sources = views.map(sourceOf).filter((source): source is RpcSource => source !== null);
    const urlById = new Map(views.map((v) => [v.info.id, pathOf(v.info.url)]));
    return { exchanges: pairRpc(sources), urls: urlById };
  }, [scope, connections, view, message]);
  return (
    <section className="llm-section rpc-view" aria-label={t('rpcTitle')}>
      <header className="rpc-header">
        <h3>{t('rpcTitle')}</h3>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('rpcScope')}</legend>
          <button type="button" aria-pressed={scope === 'connection'} onClick={() => setScope('connection')}>
            {t('rpcScopeConnection')}
          </button>
          <button type="button" aria-pressed={scope === 'tab'} onClick={() => setScope('tab')}>
            {t('rpcScopeTab')}
          </button>
        </fieldset>
      </header>
      {message.sessionId !== undefined && (
        <p className="rpc-meta">
          {t('rpcSession')}: <code>{message.sessionId}</code>
        </p>
      )}
      {message.endpoint !== undefined && (
        <p className="rpc-meta">
          {t('rpcEndpoint')}: <code>{message.endpoint}</code>
        </p>
      )}
      {exchanges.length === 0 ? (
        <p className="llm-muted">{t('rpcNone')}</p>
      ) : (
        exchanges.map((exchange, i) => (
          <Exchange
            // biome-ignore lint/suspicious/noArrayIndexKey: exchanges keep their order as messages arrive
            key={i}
            exchange={exchange}
            connectionUrl={scope === 'tab' ? urls.get(exchange.connectionId) : undefined}
          />
        ))
      )}
    </section>
  );
}

/** One row per result of a GraphQL or tRPC subscription, errors flagged. */
export function ResultsView({ results }: { results: readonly OperationResult[] }) {
  return (
    <section className="llm-section" aria-label={t('resultsTitle', String(results.length))}>
      <h3>{t('resultsTitle', String(results.length))}</h3>
      <table className="llm-results">
        <tbody>
          {results.map((result) => (
            <tr key={result.seq} className={result.errors ? 'result-error' : undefined}>
              <td className="llm-muted">{result.id ?? ''}</td>
              <td>
                {result.errors ? (
                  <span>✖ {result.errors.join('; ')}</span>
                ) : (
                  <code>{JSON.stringify(result.data) ?? ''}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The agent state (AG-UI, LangGraph) as a tree. */
export function StateView({ state }: { state: unknown }) {
  return (
    <details className="llm-section llm-state" open>
      <summary>{t('agentState')}</summary>
      <JsonValue value={state} open={(level) => level < 2} />
    </details>
  );
}

/** LangGraph's node updates, in order. */
export function UpdatesView({ updates }: { updates: readonly NodeUpdate[] }) {
  return (
    <details className="llm-section llm-updates">
      <summary>{t('nodeUpdates', String(updates.length))}</summary>
      <ul>
        {updates.map((update, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list only grows at its end
          <li key={i}>
            <code>{update.node}</code>
            {update.namespace && <span className="llm-muted"> · {update.namespace}</span>}
            <JsonValue value={update.update} />
          </li>
        ))}
      </ul>
    </details>
  );
}
