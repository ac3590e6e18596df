import { useMemo } from 'react';
import { formatClock, tryParseJson } from '../format';
import { usePanelStore } from '../store';

/** The selected event's whole data, pretty-printed when it is JSON. Always rendered as text. */
export function EventDetail() {
  const event = usePanelStore((s) => {
    if (!s.selectedConnectionId || s.selectedSeq === null) return undefined;
    const records = s.capture.connections.get(s.selectedConnectionId)?.records;
    // Records are in seq order from 1, so the index is a direct hit unless records were dropped.
    const direct = records?.[s.selectedSeq - 1];
    return direct?.seq === s.selectedSeq ? direct : records?.find((r) => r.seq === s.selectedSeq);
  });
  const pretty = useMemo(() => {
    if (!event) return '';
    const parsed = tryParseJson(event.data);
    return parsed === undefined ? event.data : JSON.stringify(parsed, null, 2);
  }, [event]);
  if (!event) return null;
  return (
    <section className="event-detail" aria-label="Event data">
      <header>
        <span>
          <b>{event.type}</b> · id {event.id === '' ? '—' : event.id} · {formatClock(event.time)} ·{' '}
          {event.data.length} chars
          {event.truncatedFrom !== undefined ? ` (truncated from ${event.truncatedFrom})` : ''}
        </span>
      </header>
      <pre className="data">{pretty}</pre>
    </section>
  );
}
