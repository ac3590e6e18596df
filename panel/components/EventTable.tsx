import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { formatClock } from '../format';
import { usePanelStore } from '../store';
import { BAD_JSON_TITLE, useBadJsonSeqs } from './llm-message';

const ROW_HEIGHT = 21;
const PREVIEW_CHARS = 300;

/** One line of data: line breaks shown as ↵, cut to what a row can show. */
function preview(data: string): string {
  const head = data.length > PREVIEW_CHARS ? `${data.slice(0, PREVIEW_CHARS)}…` : data;
  return head.replace(/\r\n|\r|\n/g, '↵');
}

/**
 * The selected connection's events, virtualised so long streams scroll smoothly: only the visible
 * rows are rendered, between two spacer rows that keep the scroll height.
 */
export function EventTable() {
  const view = usePanelStore((s) =>
    s.selectedConnectionId ? s.capture.connections.get(s.selectedConnectionId) : undefined,
  );
  const selectedSeq = usePanelStore((s) => s.selectedSeq);
  const selectEvent = usePanelStore((s) => s.selectEvent);
  const badJson = useBadJsonSeqs(view?.info.id ?? null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const events = view?.events ?? [];
  const count = events.length;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    // The sticky header row sits above the first row.
    paddingStart: ROW_HEIGHT,
  });

  // Follow new events while the user is at the bottom; stop when they scroll up.
  useEffect(() => {
    if (following.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  function onScroll() {
    const el = scrollRef.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
  }

  function onKeyDown(event: KeyboardEvent) {
    if (count === 0 || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    event.preventDefault();
    const current = events.findIndex((e) => e.seq === selectedSeq);
    const next =
      current === -1
        ? event.key === 'ArrowDown'
          ? 0
          : count - 1
        : current + (event.key === 'ArrowDown' ? 1 : -1);
    const target = events[Math.min(count - 1, Math.max(0, next))];
    if (!target) return;
    selectEvent(target.seq);
    virtualizer.scrollToIndex(events.indexOf(target), { align: 'auto' });
  }

  if (!view) return <div className="events-empty">Select a connection to see its events.</div>;

  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - ROW_HEIGHT : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;

  return (
    <div className="scroll event-table" ref={scrollRef} onScroll={onScroll}>
      <table
        className="grid events"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid is a table the keyboard moves through (↑/↓)
        role="grid"
        aria-label="Events"
        aria-rowcount={count + 1}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            <th className="col-id">Id</th>
            <th className="col-type">Type</th>
            <th>Data</th>
            <th className="col-time">Time</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr className="spacer" style={{ height: padTop }} />}
          {items.map((item) => {
            const event = events[item.index];
            if (!event) return null;
            const selected = event.seq === selectedSeq;
            const bad = badJson.has(event.seq);
            return (
              <tr
                key={event.seq}
                aria-selected={selected}
                aria-rowindex={item.index + 2}
                className={[selected && 'selected', bad && 'bad-json'].filter(Boolean).join(' ') || undefined}
                title={bad ? BAD_JSON_TITLE : undefined}
                onClick={() => selectEvent(event.seq)}
              >
                <td className="id">{event.id}</td>
                <td className="type">{event.type}</td>
                <td className="data">{preview(event.data)}</td>
                <td className="time">{formatClock(event.time)}</td>
              </tr>
            );
          })}
          {padBottom > 0 && <tr className="spacer" style={{ height: padBottom }} />}
        </tbody>
      </table>
      {count === 0 && <div className="events-empty">No events yet.</div>}
    </div>
  );
}
