import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { requestAsCurl, requestAsFetch } from '../../src/export/request-snippets';
import type { ExportableConnection } from '../../src/export/write-export';
import { type MessageKey, t } from '../../src/i18n';
import { copyText } from '../clipboard';
import { downloadConnections, type ExportFormat } from '../export-download';
import { errorSummary } from '../format';
import { exportableOf, usePanelStore } from '../store';

type Scope = 'all' | 'selected' | 'copy';
/** What a menu item does: download in a format, or copy the selected connection's request. */
type Action = ExportFormat | 'curl' | 'fetch';

const ITEMS: { scope: Scope; action: Action; label: MessageKey }[] = [
  { scope: 'all', action: 'json', label: 'panelExportAllJson' },
  { scope: 'all', action: 'har', label: 'panelExportAllHar' },
  { scope: 'all', action: 'csv', label: 'panelExportAllCsv' },
  { scope: 'all', action: 'stream', label: 'panelExportAllStream' },
  { scope: 'all', action: 'timed', label: 'panelExportAllTimed' },
  { scope: 'selected', action: 'json', label: 'panelExportSelectedJson' },
  { scope: 'selected', action: 'har', label: 'panelExportSelectedHar' },
  { scope: 'selected', action: 'csv', label: 'panelExportSelectedCsv' },
  { scope: 'selected', action: 'stream', label: 'panelExportSelectedStream' },
  { scope: 'selected', action: 'timed', label: 'panelExportSelectedTimed' },
  { scope: 'copy', action: 'curl', label: 'panelCopyAsCurl' },
  { scope: 'copy', action: 'fetch', label: 'panelCopyAsFetch' },
];

const SNIPPET = {
  curl: { write: requestAsCurl, name: 'cURL' },
  fetch: { write: requestAsFetch, name: 'fetch' },
};

/** Copies the selected connection's request as cURL or fetch, and says so. */
async function copyRequest(kind: 'curl' | 'fetch', includeSecrets: boolean): Promise<void> {
  const [connection] = connectionsIn('selected');
  if (!connection) return;
  const { write, name } = SNIPPET[kind];
  const ok = await copyText(write(connection.info, includeSecrets));
  usePanelStore
    .getState()
    .setNotice(
      ok
        ? { kind: 'info', text: t('panelCopiedRequest', name) }
        : { kind: 'error', text: t('panelCopyFailed') },
    );
}

function run(action: Action, scope: Scope, includeSecrets: boolean): void {
  if (action === 'curl' || action === 'fetch') void copyRequest(action, includeSecrets);
  else downloadConnections(connectionsIn(scope === 'all' ? 'all' : 'selected'), action, includeSecrets);
}

function connectionsIn(scope: 'all' | 'selected'): ExportableConnection[] {
  const state = usePanelStore.getState();
  const keys =
    scope === 'all' ? state.capture.order : state.selectedConnectionId ? [state.selectedConnectionId] : [];
  return keys.flatMap((key) => {
    const connection = exportableOf(state, key);
    return connection ? [connection] : [];
  });
}

/**
 * The Export button and its menu: all or the selected connection as JSON, HAR, CSV of events, stream
 * text or the timed stream; and the selected connection's request copied as cURL or fetch.
 */
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
                disabled={item.scope !== 'all' && !hasSelection}
                onClick={() => {
                  setOpen(false);
                  try {
                    run(item.action, item.scope, includeSecrets);
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
