import { useCallback, useEffect, useRef, useState } from 'react';
import { type MessageKey, t } from '../../src/i18n';
import {
  applySettingsChange,
  type CaptureMode,
  FILE_SITE,
  isCaptureOn,
  type RestrictedReason,
  type Settings,
  type SettingsChange,
  type SiteAccess,
  siteExceptions,
  siteOfUrl,
} from '../../src/settings';
import {
  onBackgroundNews,
  requestSettings,
  requestSettingsChange,
  requestTabStats,
  targetTabId,
} from './background';

type TabState =
  | { state: 'loading' }
  | { state: 'no-tab' }
  | { state: 'ready'; tabId: number; site: SiteAccess };

const RESTRICTED_TEXT: Record<RestrictedReason, MessageKey> = {
  'browser-page': 'popupRestrictedBrowser',
  'web-store': 'popupRestrictedWebStore',
  'not-a-site': 'popupRestrictedNotSite',
};

const MODES: { mode: CaptureMode; label: MessageKey }[] = [
  { mode: 'all-except', label: 'popupModeAllExcept' },
  { mode: 'only-listed', label: 'popupModeOnlyListed' },
];

const siteLabel = (origin: string) => (origin === FILE_SITE ? t('popupFileSite') : origin);

export function Popup() {
  const [tab, setTab] = useState<TabState>({ state: 'loading' });
  const [settings, setSettings] = useState<Settings | null>(null);
  const [stats, setStats] = useState<{ total: number; live: number; unpatched?: boolean }>({
    total: 0,
    live: 0,
  });
  /** Whether the document now in the tab was loaded with capture on; null until known. */
  const [loadedOn, setLoadedOn] = useState<boolean | null>(null);
  /** Changes sent and not yet answered: the reload button waits for them, so a reload sees the new registration. */
  const [pending, setPending] = useState(0);
  const [failed, setFailed] = useState(false);
  const switchRef = useRef<HTMLInputElement>(null);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const site = tab.state === 'ready' && tab.site.kind === 'site' ? tab.site.origin : null;
  const tabId = tab.state === 'ready' ? tab.tabId : null;

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const id = await targetTabId();
      if (id === null) {
        if (!cancelled) setTab({ state: 'no-tab' });
        return;
      }
      const current = await chrome.tabs.get(id).catch(() => null);
      if (!current) {
        if (!cancelled) setTab({ state: 'no-tab' });
        return;
      }
      const [loadedSettings, counts] = await Promise.all([requestSettings(), requestTabStats(id)]);
      if (cancelled) return;
      const access = siteOfUrl(current.url);
      setSettings(loadedSettings);
      setStats(counts);
      setTab({ state: 'ready', tabId: id, site: access });
      if (access.kind === 'site') setLoadedOn(isCaptureOn(loadedSettings, access.origin));
    })().catch((error: unknown) => {
      console.error('SSE DevTools popup:', error);
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (tabId === null) return;
    const stopNews = onBackgroundNews((news) => {
      if (news.type === 'settings') setSettings(news.settings);
      else if (news.tabId === tabId) setStats({ total: news.total, live: news.live });
    });
    // A new document in the tab (the reload below, or any navigation) is loaded under the current settings.
    const onUpdated = (updatedId: number, change: chrome.tabs.OnUpdatedInfo, updated: chrome.tabs.Tab) => {
      if (updatedId !== tabId || change.status !== 'loading') return;
      // The new document is patched if capture is on for it: the "reload" advice is past.
      setStats(({ total, live }) => ({ total, live }));
      const access = siteOfUrl(updated.url);
      setTab({ state: 'ready', tabId, site: access });
      const current = settingsRef.current;
      setLoadedOn(access.kind === 'site' && current ? isCaptureOn(current, access.origin) : null);
    };
    chrome.tabs.onUpdated.addListener(onUpdated);
    return () => {
      stopNews();
      chrome.tabs.onUpdated.removeListener(onUpdated);
    };
  }, [tabId]);

  const change = useCallback(async (request: SettingsChange) => {
    // Shown at once; the answer (the stored settings) replaces it.
    setSettings((current) => (current ? applySettingsChange(current, request) : current));
    setPending((n) => n + 1);
    try {
      setSettings(await requestSettingsChange(request));
      setFailed(false);
    } catch (error) {
      console.error('SSE DevTools popup:', error);
      setFailed(true);
      requestSettings().then(setSettings, () => undefined);
    } finally {
      setPending((n) => n - 1);
    }
  }, []);

  const reload = () => {
    if (tabId === null) return;
    void chrome.tabs.reload(tabId);
    // The button goes away once the tab reloads; keep keyboard focus in the popup, on the switch.
    switchRef.current?.focus();
  };

  if (tab.state === 'no-tab') {
    return (
      <main className="popup">
        <p className="note">{t('popupNoTab')}</p>
      </main>
    );
  }

  const on = site !== null && settings !== null && isCaptureOn(settings, site);
  const needsReload = site !== null && loadedOn !== null && pending === 0 && on !== loadedOn;
  const restricted = tab.state === 'ready' && tab.site.kind === 'restricted' ? tab.site.reason : null;

  return (
    <main className="popup" aria-busy={tab.state === 'loading' || settings === null}>
      <h1>{t('popupTitle')}</h1>
      {failed && (
        <p className="note error" role="alert">
          {t('popupFailed')}
        </p>
      )}

      <section className="site" aria-labelledby="site-heading">
        <h2 id="site-heading" className="origin">
          {site !== null ? siteLabel(site) : t('popupThisPage')}
        </h2>
        <label className="switch-row">
          <span>{t('popupCaptureOnSite')}</span>
          <input
            ref={switchRef}
            type="checkbox"
            role="switch"
            checked={on}
            aria-checked={on}
            disabled={site === null || settings === null}
            onChange={(event) => {
              if (site !== null) void change({ kind: 'set-site', origin: site, on: event.target.checked });
            }}
          />
        </label>
        {restricted !== null && <p className="note">{t(RESTRICTED_TEXT[restricted])}</p>}
        {site !== null && (
          <p className="counts" data-testid="stream-counts">
            {t('popupStreamCounts', String(stats.total), String(stats.live))}
          </p>
        )}
        {site !== null && settings !== null && !on && <p className="note">{t('popupOffNote')}</p>}
        {!needsReload && on && stats.unpatched && (
          <div className="reload">
            <p className="note">{t('popupUnpatchedNote')}</p>
            <button type="button" className="primary" onClick={reload}>
              {t('popupReload')}
            </button>
          </div>
        )}
        {needsReload && (
          <div className="reload">
            <p className="note">{t('popupReloadNote')}</p>
            <button type="button" className="primary" onClick={reload}>
              {t('popupReload')}
            </button>
          </div>
        )}
      </section>

      {settings !== null && (
        <>
          <fieldset className="modes">
            <legend>{t('popupDefaultHeading')}</legend>
            {MODES.map(({ mode, label }) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="mode"
                  value={mode}
                  checked={settings.mode === mode}
                  onChange={() => void change({ kind: 'set-mode', mode })}
                />
                <span>{t(label)}</span>
              </label>
            ))}
          </fieldset>

          <section className="exceptions" aria-labelledby="exceptions-heading">
            <h2 id="exceptions-heading">{t('popupExceptionsHeading')}</h2>
            <SiteList
              settings={settings}
              onForget={(origin) => void change({ kind: 'forget-site', origin })}
            />
          </section>
        </>
      )}
    </main>
  );
}

function SiteList({ settings, onForget }: { settings: Settings; onForget: (origin: string) => void }) {
  const exceptions = siteExceptions(settings);
  if (exceptions.length === 0) return <p className="note">{t('popupExceptionsNone')}</p>;
  return (
    <ul aria-labelledby="exceptions-heading">
      {exceptions.map(({ origin, on }) => (
        <li key={origin}>
          <span className="origin" title={origin}>
            {siteLabel(origin)}
          </span>
          <span className={on ? 'state on' : 'state off'}>{on ? t('popupSiteOn') : t('popupSiteOff')}</span>
          <button
            type="button"
            aria-label={t('popupRemoveSite', siteLabel(origin))}
            onClick={() => onForget(origin)}
          >
            {t('popupRemove')}
          </button>
        </li>
      ))}
    </ul>
  );
}
