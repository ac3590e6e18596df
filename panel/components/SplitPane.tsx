import { type KeyboardEvent, type PointerEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { loadPreference, savePreference } from '../persisted';

const STEP = 0.02;
const BIG_STEP = 0.1;

const isFraction = (value: unknown): value is number => typeof value === 'number' && value > 0 && value < 1;

interface SplitPaneProps {
  /** `row`: side by side, the handle moves left/right; `column`: stacked, it moves up/down. */
  direction: 'row' | 'column';
  /** Where the chosen size is remembered. */
  storageKey: string;
  /** Share of the first pane before the user moves the handle. */
  initial: number;
  /** Smallest share either pane may have. */
  min?: number;
  /** Accessible name of the handle. */
  label: string;
  first: ReactNode;
  second: ReactNode;
  className?: string;
  /** Hide the second pane and its handle; the first takes all the room (and is not remounted). */
  collapsed?: boolean;
}

/**
 * Two panes and a handle between them, dragged with the pointer or moved with the arrow keys
 * (Shift for bigger steps, Home/End to the limits), as DevTools' split widgets are.
 */
export function SplitPane({
  direction,
  storageKey,
  initial,
  min = 0.15,
  label,
  first,
  second,
  className,
  collapsed = false,
}: SplitPaneProps) {
  // Sizes are remembered per storage key; a new key (the layout turned) brings back its own size.
  const [size, setSize] = useState(() => ({
    key: storageKey,
    fraction: loadPreference(storageKey, initial, isFraction),
  }));
  let fraction = size.fraction;
  if (size.key !== storageKey) {
    fraction = loadPreference(storageKey, initial, isFraction);
    setSize({ key: storageKey, fraction });
  }
  const setFraction = (next: number) => setSize({ key: storageKey, fraction: next });
  const container = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const clamp = (value: number) => Math.min(1 - min, Math.max(min, value));

  useEffect(() => savePreference(size.key, size.fraction), [size]);

  function fromPointer(event: PointerEvent) {
    const box = container.current?.getBoundingClientRect();
    if (!box) return;
    const share =
      direction === 'row' ? (event.clientX - box.left) / box.width : (event.clientY - box.top) / box.height;
    setFraction(clamp(share));
  }

  function onKeyDown(event: KeyboardEvent) {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    let next: number | null = null;
    if (event.key === back) next = fraction - step;
    else if (event.key === forward) next = fraction + step;
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = 1 - min;
    if (next === null) return;
    event.preventDefault();
    setFraction(clamp(next));
  }

  const percent = Math.round(fraction * 100);
  const handle = (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be focused and dragged; a focusable separator is the ARIA window-splitter pattern.
    <div
      className="split-handle"
      role="separator"
      aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={percent}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round((1 - min) * 100)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
        event.preventDefault();
      }}
      onPointerMove={(event) => {
        if (dragging.current) fromPointer(event);
      }}
      onPointerUp={(event) => {
        dragging.current = false;
        event.currentTarget.releasePointerCapture(event.pointerId);
      }}
    />
  );
  return (
    <div ref={container} className={`split split-${direction}${className ? ` ${className}` : ''}`}>
      <div className="split-pane" style={collapsed ? { flex: '1 1 0' } : { flexBasis: `${fraction * 100}%` }}>
        {first}
      </div>
      {!collapsed && handle}
      {!collapsed && <div className="split-pane split-rest">{second}</div>}
    </div>
  );
}
