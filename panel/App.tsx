import { useEffect, useState } from 'react';
import { t } from '../src/i18n';
import { ConnectionDetail } from './components/ConnectionDetail';
import { ConnectionList } from './components/ConnectionList';
import { OverridesPane } from './components/OverridesPane';
import { PaneErrorBoundary } from './components/PaneErrorBoundary';
import { SettingsDialog } from './components/SettingsDialog';
import { SplitPane } from './components/SplitPane';
import { Toolbar } from './components/Toolbar';
import { formatCount } from './format';
import { usePanelStore } from './store';
import { useUnpatched } from './use-unpatched';

function Notices() {
  const notice = usePanelStore((s) => s.notice);
  const recording = usePanelStore((s) => s.recording);
  const skipped = usePanelStore((s) => s.skippedWhilePaused);
  const setNotice = usePanelStore((s) => s.setNotice);
  const setRecording = usePanelStore((s) => s.setRecording);
  return (
    <>
      {!recording && (
        <div className="banner paused" role="status">
          <span>
            {t('panelPaused')}
            {skipped > 0 && ` ${t('panelPausedSkipped', formatCount(skipped))}`}
          </span>
          <button type="button" onClick={() => setRecording(true)}>
            {t('panelResume')}
          </button>
        </div>
      )}
      {notice && (
        <div className={`banner ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button
            type="button"
            className="icon close"
            aria-label={t('panelDismiss')}
            title={t('panelDismiss')}
            onClick={() => setNotice(null)}
          >
            ×
          </button>
        </div>
      )}
    </>
  );
}

function EmptyState({ tabId }: { tabId: number }) {
  const recording = usePanelStore((s) => s.recording);
  const unpatched = useUnpatched(tabId, true);
  return (
    <main className="empty-state">
      {unpatched && (
        <p className="unpatched" role="status">
          {t('panelReloadToCapture')}
        </p>
      )}
      {recording ? (
        <>
          <p>{t('panelEmpty')}</p>
          <p className="hint">{t('panelEmptyHint')}</p>
        </>
      ) : (
        <>
          <p>{t('panelEmptyPaused')}</p>
          <p className="hint">{t('panelEmptyPausedHint')}</p>
        </>
      )}
      <p className="hint">{t('panelEmptyImportHint')}</p>
    </main>
  );
}

/** Whether a media query matches, following changes. */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}

/** Below this width the connection list goes above the events, as DevTools' panels do when docked to the side. */
const STACKED_LAYOUT = '(max-width: 760px)';

export function App({ tabId }: { tabId: number | null }) {
  const hasConnections = usePanelStore((s) => s.capture.order.length > 0);
  const stacked = useMediaQuery(STACKED_LAYOUT);
  if (tabId === null) {
    return (
      <main className="empty-state">
        <p>{t('panelNoTab')}</p>
      </main>
    );
  }
  return (
    <div className="panel">
      <Toolbar />
      <Notices />
      {hasConnections ? (
        <SplitPane
          direction={stacked ? 'column' : 'row'}
          storageKey={stacked ? 'connectionsSplitStacked' : 'connectionsSplit'}
          initial={stacked ? 0.35 : 0.5}
          min={0.15}
          label={t('panelResizeConnections')}
          className="main-split"
          first={
            <section className="pane connections-pane" aria-label={t('panelConnectionsLabel')}>
              <PaneErrorBoundary>
                <ConnectionList />
              </PaneErrorBoundary>
            </section>
          }
          second={
            <section className="pane events-pane" aria-label={t('panelEventsLabel')}>
              <PaneErrorBoundary>
                <ConnectionDetail />
              </PaneErrorBoundary>
            </section>
          }
        />
      ) : (
        <EmptyState tabId={tabId} />
      )}
      <OverridesPane />
      <SettingsDialog />
    </div>
  );
}
