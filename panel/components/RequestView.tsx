import { type ReactNode, useMemo, useState } from 'react';
import { nestsDeeperThan } from '../../src/bounded-json';
import { isSecretHeader, redactBody, redactUrl } from '../../src/export/redact';
import { t } from '../../src/i18n';
import type { ConnectionInfo, HeaderMap } from '../../src/model';
import { formatClock, tryParseJson } from '../format';
import { selectedConnectionView, usePanelStore } from '../store';
import { useCopyFeedback } from './use-copy-feedback';

const MASK = '••••••••';

/** The Show / Hide button of a masked value. */
function RevealButton({ name, revealed, toggle }: { name: string; revealed: boolean; toggle(): void }) {
  return (
    <button
      type="button"
      className="link"
      aria-pressed={revealed}
      aria-label={t(revealed ? 'panelHideSecret' : 'panelRevealSecret', name)}
      onClick={toggle}
    >
      {t(revealed ? 'panelHide' : 'panelReveal')}
    </button>
  );
}

function HeaderValue({ name, value }: { name: string; value: string }) {
  const [revealed, setRevealed] = useState(false);
  if (!isSecretHeader(name)) return <span className="header-value">{value}</span>;
  return (
    <span className="header-value secret">
      <span>{revealed ? value : MASK}</span>{' '}
      <RevealButton name={name} revealed={revealed} toggle={() => setRevealed(!revealed)} />
    </span>
  );
}

/**
 * A URL with its secret parameters (`?key=`, `#access_token=`…) redacted until revealed, and a copy
 * button that copies what is shown.
 */
function UrlValue({ name, url, copyable }: { name: string; url: string; copyable?: boolean }) {
  const [revealed, setRevealed] = useState(false);
  const [feedback, copy] = useCopyFeedback();
  const redacted = redactUrl(url, false);
  const shown = revealed ? url : redacted;
  return (
    <span className={redacted === url ? 'header-value' : 'header-value secret'}>
      <span>{shown}</span>
      {redacted !== url && (
        <>
          {' '}
          <RevealButton name={name} revealed={revealed} toggle={() => setRevealed(!revealed)} />
        </>
      )}
      {copyable && (
        <>
          {' '}
          <button type="button" className="link" title={t('panelCopyUrlTitle')} onClick={() => copy(shown)}>
            {t('panelCopyUrl')}
          </button>
          {feedback && (
            <span className="feedback" role="status">
              {feedback}
            </span>
          )}
        </>
      )}
    </span>
  );
}

function Headers({ title, headers, hidden }: { title: string; headers: HeaderMap; hidden: boolean }) {
  const names = Object.keys(headers).sort();
  return (
    <section className="request-section" aria-label={title}>
      <h3>{title}</h3>
      {names.length === 0 ? (
        <p className="muted">{hidden ? t('panelNotVisibleToPage') : t('panelNoHeaders')}</p>
      ) : (
        <dl className="headers">
          {names.map((name) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <HeaderValue name={name} value={headers[name] ?? ''} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/**
 * The selected connection's request and response: method, URL, status, headers (credential values
 * masked until clicked) and the request body, pretty-printed when it is JSON.
 */
export function RequestView() {
  const view = usePanelStore(selectedConnectionView);
  if (!view) return <div className="events-empty">{t('panelSelectConnection')}</div>;
  // Keyed by connection: what the user revealed stays with the connection it was revealed in.
  return <ConnectionRequest key={view.info.id} info={view.info} />;
}

function ConnectionRequest({ info }: { info: ConnectionInfo }) {
  const imported = usePanelStore((s) =>
    s.selectedConnectionId ? s.imported.get(s.selectedConnectionId) : undefined,
  );
  const [bodyRevealed, setBodyRevealed] = useState(false);
  const fullBody = info.requestBody;
  const redactedBody = useMemo(() => redactBody(fullBody, false), [fullBody]);
  const body = bodyRevealed ? fullBody : redactedBody;
  const prettyBody = useMemo(() => {
    if (body === null) return null;
    const parsed = tryParseJson(body);
    // JSON.stringify recurses: a body nested deeper than the walk limit is shown as it was sent.
    return parsed === undefined || nestsDeeperThan(parsed) ? body : JSON.stringify(parsed, null, 2);
  }, [body]);
  // A native EventSource shows its page neither status nor headers; they are not captured, not empty.
  const opaque = info.transport === 'eventsource';
  const general: [string, ReactNode][] = [
    [t('panelRequestUrl'), <UrlValue key="url" name={t('panelRequestUrl')} url={info.url} copyable />],
    [t('panelRequestMethod'), info.method],
    [
      t('panelStatusCode'),
      info.status === 0 ? t('panelNotVisibleToPage') : `${info.status} ${info.statusText}`.trim(),
    ],
    [t('panelTransport'), `${info.transport} · ${info.format}`],
    [t('panelFrame'), <UrlValue key="frame" name={t('panelFrame')} url={info.frameUrl} />],
    [t('panelStartedAt'), formatClock(info.startedAt)],
  ];
  return (
    <div className="request-view scroll">
      {imported && <p className="note">{t('panelImportedReadOnly', imported.fileName)}</p>}
      <section className="request-section" aria-label={t('panelGeneral')}>
        <h3>{t('panelGeneral')}</h3>
        <dl className="headers">
          {general.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <Headers title={t('panelResponseHeaders')} headers={info.responseHeaders} hidden={opaque} />
      <Headers title={t('panelRequestHeaders')} headers={info.requestHeaders} hidden={opaque} />
      <section className="request-section" aria-label={t('panelRequestBody')}>
        <h3>
          {t('panelRequestBody')}
          {redactedBody !== fullBody && (
            <>
              {' '}
              <RevealButton
                name={t('panelRequestBody')}
                revealed={bodyRevealed}
                toggle={() => setBodyRevealed(!bodyRevealed)}
              />
            </>
          )}
        </h3>
        {prettyBody === null ? (
          <p className="muted">{t('panelNoRequestBody')}</p>
        ) : (
          <pre className="data body">{prettyBody}</pre>
        )}
      </section>
    </div>
  );
}
