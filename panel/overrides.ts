/**
 * The panel's view of the inspected tab's overrides (src/override.ts): kept by the service worker,
 * listed here with how often each was served. Changes go to the service worker as one-off messages;
 * it answers with the tab's list and sends it again, unasked, whenever it changes (a replay served).
 */
import { create } from 'zustand';
import {
  createOverride,
  type Override,
  type OverridePatch,
  type OverrideSource,
  patchOverride,
} from '../src/override';
import {
  createOverrideArm,
  createOverrideChange,
  createOverrideRemove,
  createOverridesRequest,
  isOverridesMessage,
  type PanelToBackgroundOverrides,
} from '../src/protocol';
import type { ConnectionView } from './capture-model';

export interface OverridesState {
  tabId: number | null;
  overrides: readonly Override[];
  /** Overrides with a change the service worker has not confirmed yet (shown, not yet in force). */
  pending: ReadonlySet<string>;
  /** Whether the list is shown (it opens by itself when an override is armed). */
  open: boolean;
  setOpen(open: boolean): void;
}

export const useOverrides = create<OverridesState>()((set) => ({
  tabId: null,
  overrides: [],
  pending: new Set(),
  open: false,
  setOpen: (open) => set({ open }),
}));

async function send(message: PanelToBackgroundOverrides): Promise<void> {
  const answer: unknown = await chrome.runtime.sendMessage(message);
  if (isOverridesMessage(answer) && answer.tabId === useOverrides.getState().tabId) {
    useOverrides.setState({ overrides: answer.overrides });
  }
}

/** Follows the overrides of `tabId` for the panel's lifetime. */
export function linkOverrides(tabId: number): () => void {
  useOverrides.setState({ tabId });
  const listener = (message: unknown) => {
    if (isOverridesMessage(message) && message.tabId === tabId)
      useOverrides.setState({ overrides: message.overrides });
  };
  chrome.runtime.onMessage.addListener(listener);
  void send(createOverridesRequest(tabId)).catch(() => undefined);
  return () => chrome.runtime.onMessage.removeListener(listener);
}

/** A connection as an override is made from it: its chunks when the capture kept them, else its records. */
export function overrideSourceOf(view: ConnectionView, originalId?: string): OverrideSource {
  return {
    info: originalId ? { ...view.info, id: originalId } : view.info,
    records: view.records,
    chunks: view.chunks,
  };
}

/** Arms "Replay in page" for `source` with the defaults; the service worker fills in the tab's origin. */
export async function armReplay(source: OverrideSource): Promise<void> {
  const { tabId } = useOverrides.getState();
  if (tabId === null) return;
  const id = `override-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await send(createOverrideArm(tabId, createOverride(id, source, '')));
  useOverrides.setState({ open: true });
}

export async function changeOverride(id: string, patch: OverridePatch): Promise<void> {
  const { tabId, overrides } = useOverrides.getState();
  if (tabId === null) return;
  // Shown at once; in force once the service worker answers (it armed it in the tab's frames).
  const mark = (pending: boolean) => {
    const next = new Set(useOverrides.getState().pending);
    if (pending) next.add(id);
    else next.delete(id);
    useOverrides.setState({ pending: next });
  };
  useOverrides.setState({ overrides: overrides.map((o) => (o.id === id ? patchOverride(o, patch) : o)) });
  mark(true);
  try {
    await send(createOverrideChange(tabId, id, patch));
  } finally {
    mark(false);
  }
}

export async function removeOverride(id: string): Promise<void> {
  const { tabId } = useOverrides.getState();
  if (tabId !== null) await send(createOverrideRemove(tabId, id));
}
