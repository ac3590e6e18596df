import { useEffect, useState } from 'react';
import type { ConnectionView } from '../capture-model';
import { formatBytes, formatClock, formatDuration, splitUrl } from '../format';
import { usePanelStore } from '../store';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function ConnectionRow({ view, selected, now }: { view: ConnectionView; selected: boolean; now: number }) {
  const selectConnection = usePanelStore((s) => s.selectConnection);
  const { info, end } = view;
  const { origin, path } = splitUrl(info.url);
  const state = end ? end.state : 'open';
  const duration = (end ? end.endedAt : now) - info.startedAt;
  return (
    <tr
      className={selected ? 'selected' : undefined}
      aria-selected={selected}
      data-connection-id={info.id}
      onClick={() => selectConnection(info.id)}
      title={end?.error ?? info.url}
    >
      <td className="method">{info.method}</td>
      <td className="url">
        <span className="path">{path}</span> <span className="origin">{origin}</span>
      </td>
      <td className={info.status >= 400 ? 'status bad' : 'status'}>{info.status}</td>
      <td className={`state state-${state}`}>{state}</td>
      <td className="num">{view.events.length}</td>
      <td className="num">{formatBytes(view.bytes)}</td>
      <td className="num">{formatDuration(Math.max(0, duration))}</td>
      <td className="time">{formatClock(info.startedAt)}</td>
    </tr>
  );
}

export function ConnectionList() {
  const capture = usePanelStore((s) => s.capture);
  const selectedId = usePanelStore((s) => s.selectedConnectionId);
  const anyOpen = capture.order.some((id) => !capture.connections.get(id)?.end);
  const now = useNow(anyOpen);
  return (
    <div className="scroll">
      <table className="grid connections">
        <thead>
          <tr>
            <th>Method</th>
            <th>URL</th>
            <th>Status</th>
            <th>State</th>
            <th className="num">Events</th>
            <th className="num">Size</th>
            <th className="num">Duration</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {capture.order.map((id) => {
            const view = capture.connections.get(id);
            return view ? (
              <ConnectionRow key={id} view={view} selected={id === selectedId} now={now} />
            ) : null;
          })}
        </tbody>
      </table>
    </div>
  );
}
