import { type ComponentType, type KeyboardEvent, useEffect, useState } from 'react';
import { t } from '../../src/i18n';
import { onShowDetailTab } from '../detail-tab-request';
import { armReplay, overrideSourceOf } from '../overrides';
import { selectedConnectionView, usePanelStore } from '../store';
import { ChunksView } from './ChunksView';
import { DiagnosisView } from './DiagnosisView';
import { EventsPane } from './EventsPane';
import { MessageView } from './MessageView';
import { PaneErrorBoundary } from './PaneErrorBoundary';
import { RequestView } from './RequestView';
import { TimingView } from './TimingView';

/**
 * The views of the selected connection, as tabs. A new view is one component and one entry here;
 * each view reads the selected connection from the store itself.
 */
export const DETAIL_TABS: readonly { id: string; label: string; View: ComponentType }[] = [
  { id: 'events', label: t('panelTabEvents'), View: EventsPane },
  { id: 'request', label: t('panelTabRequest'), View: RequestView },
  { id: 'message', label: t('llmTab'), View: MessageView },
  { id: 'timing', label: t('timingTab'), View: TimingView },
  { id: 'chunks', label: t('chunksTab'), View: ChunksView },
  { id: 'diagnosis', label: t('diagnosisTab'), View: DiagnosisView },
];

/** Arms an override of the selected connection (live, ended or imported) for this tab, in one click. */
function ReplayButton() {
  const view = usePanelStore(selectedConnectionView);
  const importedFrom = usePanelStore((s) =>
    s.selectedConnectionId === null ? undefined : s.imported.get(s.selectedConnectionId),
  );
  const setNotice = usePanelStore((s) => s.setNotice);
  if (!view) return null;
  return (
    <button
      type="button"
      className="replay"
      title={t('replayInPageTitle')}
      onClick={() =>
        void armReplay(overrideSourceOf(view, importedFrom?.originalId)).then(() =>
          setNotice({ kind: 'info', text: t('replayArmed', view.info.method, view.info.url) }),
        )
      }
    >
      {t('replayInPage')}
    </button>
  );
}

export function ConnectionDetail() {
  const [active, setActive] = useState(DETAIL_TABS[0]?.id ?? 'events');
  const importedFrom = usePanelStore((s) =>
    s.selectedConnectionId === null ? undefined : s.imported.get(s.selectedConnectionId),
  );
  const tab = DETAIL_TABS.find((entry) => entry.id === active) ?? DETAIL_TABS[0];
  const revealCount = usePanelStore((s) => s.revealCount);
  const selectedId = usePanelStore((s) => s.selectedConnectionId);
  // A search hit was revealed: it is shown in the Events tab.
  useEffect(() => {
    if (revealCount > 0) setActive('events');
  }, [revealCount]);
  useEffect(() => onShowDetailTab(setActive), []);

  // ARIA tabs: ←/→ move between tabs, Home/End to the ends.
  function onKeyDown(event: KeyboardEvent) {
    const at = DETAIL_TABS.findIndex((entry) => entry.id === tab?.id);
    const last = DETAIL_TABS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (at + 1) % DETAIL_TABS.length
        : event.key === 'ArrowLeft'
          ? (at + last) % DETAIL_TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    const entry = DETAIL_TABS[next];
    if (!entry) return;
    event.preventDefault();
    setActive(entry.id);
    document.getElementById(`tab-${entry.id}`)?.focus();
  }

  return (
    <>
      <div
        className="detail-tabs"
        role="tablist"
        aria-label={t('panelConnectionViews')}
        onKeyDown={onKeyDown}
      >
        {DETAIL_TABS.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            id={`tab-${entry.id}`}
            aria-selected={entry.id === tab?.id}
            aria-controls={`tabpanel-${entry.id}`}
            tabIndex={entry.id === tab?.id ? 0 : -1}
            className={entry.id === tab?.id ? 'active' : undefined}
            onClick={() => setActive(entry.id)}
          >
            {entry.label}
          </button>
        ))}
        <span className="spacer" />
        <ReplayButton />
        {importedFrom && (
          <span
            className="badge imported read-only"
            title={t('panelImportedReadOnly', importedFrom.fileName)}
          >
            {t('panelImportedBadgeLong')}
          </span>
        )}
      </div>
      {tab && (
        <div
          className="detail-body"
          role="tabpanel"
          id={`tabpanel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
        >
          <PaneErrorBoundary resetKey={`${tab.id} ${selectedId}`}>
            <tab.View />
          </PaneErrorBoundary>
        </div>
      )}
    </>
  );
}
