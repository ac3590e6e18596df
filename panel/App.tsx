import { t } from '../src/i18n';
import { ConnectionDetail } from './components/ConnectionDetail';
import { ConnectionList } from './components/ConnectionList';
import { SplitPane } from './components/SplitPane';
import { Toolbar } from './components/Toolbar';
import { formatCount } from './format';
import { usePanelStore } from './store';

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

function EmptyState() {
  const recording = usePanelStore((s) => s.recording);
  return (
    <main className="empty-state">
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

export function App({ tabId }: { tabId: number | null }) {
  const hasConnections = usePanelStore((s) => s.capture.order.length > 0);
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
          direction="row"
          storageKey="connectionsSplit"
          initial={0.5}
          min={0.15}
          label={t('panelResizeConnections')}
          className="main-split"
          first={
            <section className="pane connections-pane" aria-label={t('panelConnectionsLabel')}>
              <ConnectionList />
            </section>
          }
          second={
            <section className="pane events-pane" aria-label={t('panelEventsLabel')}>
              <ConnectionDetail />
            </section>
          }
        />
      ) : (
        <EmptyState />
      )}
    </div>
  );
}
