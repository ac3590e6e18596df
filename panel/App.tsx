import { t } from '../src/i18n';
import { ConnectionDetail } from './components/ConnectionDetail';
import { ConnectionList } from './components/ConnectionList';
import { Toolbar } from './components/Toolbar';
import { usePanelStore } from './store';

export function App({ tabId }: { tabId: number | null }) {
  const hasConnections = usePanelStore((s) => s.capture.order.length > 0);
  if (tabId === null) {
    return (
      <main className="empty-state">
        <p>
          No inspected tab. Open this panel from DevTools, or add <code>?tabId=N</code> to its URL.
        </p>
      </main>
    );
  }
  return (
    <div className="panel">
      <Toolbar />
      {hasConnections ? (
        <div className="split">
          <section className="pane connections-pane" aria-label="Connections">
            <ConnectionList />
          </section>
          <section className="pane events-pane" aria-label="Events">
            <ConnectionDetail />
          </section>
        </div>
      ) : (
        <main className="empty-state">
          <p>No event streams captured in this tab yet.</p>
          <p className="hint">
            Streams appear here as the page reads them. Reload the page to capture streams that started before
            capture was on.
          </p>
        </main>
      )}
    </div>
  );
}
