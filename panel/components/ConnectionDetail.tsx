import { type ComponentType, useState } from 'react';
import { t } from '../../src/i18n';
import { EventDetail } from './EventDetail';
import { EventTable } from './EventTable';
import { MessageView } from './MessageView';
import { TimingView } from './TimingView';

function EventsTab() {
  return (
    <>
      <EventTable />
      <EventDetail />
    </>
  );
}

/**
 * The views of the selected connection, as tabs. A new view is one component and one entry here;
 * each view reads the selected connection from the store itself.
 */
export const DETAIL_TABS: readonly { id: string; label: string; View: ComponentType }[] = [
  { id: 'events', label: 'Events', View: EventsTab },
  { id: 'message', label: t('llmTab'), View: MessageView },
  { id: 'timing', label: t('timingTab'), View: TimingView },
];

export function ConnectionDetail() {
  const [active, setActive] = useState(DETAIL_TABS[0]?.id ?? 'events');
  const tab = DETAIL_TABS.find((t) => t.id === active) ?? DETAIL_TABS[0];
  return (
    <>
      <div className="detail-tabs" role="tablist" aria-label="Connection views">
        {DETAIL_TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === tab?.id}
            aria-controls={`tabpanel-${t.id}`}
            className={t.id === tab?.id ? 'active' : undefined}
            onClick={() => setActive(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab && (
        <div
          className="detail-body"
          role="tabpanel"
          id={`tabpanel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
        >
          <tab.View />
        </div>
      )}
    </>
  );
}
