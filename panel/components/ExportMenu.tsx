import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ExportableConnection } from '../../src/export/write-export';
import { type MessageKey, t } from '../../src/i18n';
import { downloadConnections, type ExportFormat } from '../export-download';
import { errorSummary } from '../format';
import { exportableOf, usePanelStore } from '../store';

type Scope = 'all' | 'selected';

const ITEMS: { scope: Scope; format: ExportFormat; label: MessageKey }[] = [
  { scope: 'all', format: 'json', label: 'panelExportAllJson' },
  { scope: 'all', format: 'csv', label: 'panelExportAllCsv' },
  { scope: 'all', format: 'stream', label: 'panelExportAllStream' },
  { scope: 'selected', format: 'json', label: 'panelExportSelectedJson' },
  { scope: 'selected', format: 'csv', label: 'panelExportSelectedCsv' },
  { scope: 'selected', format: 'stream', label: 'panelExportSelectedStream' },
];

function connectionsIn(scope: Scope): ExportableConnection[] {
  const state = usePanelStore.getState();
  const keys =
    scope === 'all' ? state.capture.order : state.selectedConnectionId ? [state.selectedConnectionId] : [];
  return keys.flatMap((key) => {
    const connection = exportableOf(state, key);
    return connection ? [connection] : [];
  });
}

/** The Export button and its menu: all or the selected connection, as JSON, CSV of events, or stream text. */
export function ExportMenu({ includeSecrets }: { includeSecrets: boolean }) {
  const count = usePanelStore((s) => s.capture.order.length);
  const hasSelection = usePanelStore((s) => s.selectedConnectionId !== null);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]:not(:disabled)')?.focus();
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  function onMenuKeyDown(event: KeyboardEvent) {
    const items = [
      ...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)') ?? []),
    ];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    }
  }

  return (
    <div className="menu-anchor" ref={root}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={count === 0}
        title={t('panelExportTitle')}
        onClick={() => setOpen(!open)}
      >
        {t('panelExport')} ▾
      </button>
      {open && (
        <div
          className="popover menu"
          role="menu"
          aria-label={t('panelExport')}
          tabIndex={-1}
          onKeyDown={onMenuKeyDown}
        >
          {ITEMS.map((item, index) => (
            <div key={item.label} role="none">
              {index > 0 && ITEMS[index - 1]?.scope !== item.scope && <hr />}
              <button
                type="button"
                role="menuitem"
                disabled={item.scope === 'selected' && !hasSelection}
                onClick={() => {
                  setOpen(false);
                  try {
                    downloadConnections(connectionsIn(item.scope), item.format, includeSecrets);
                  } catch (error) {
                    // No export may fail without a word (a bug, or a browser out of memory).
                    const text = t('panelExportFailed', errorSummary(error));
                    usePanelStore.getState().setNotice({ kind: 'error', text });
                  }
                }}
              >
                {t(item.label)}
              </button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
