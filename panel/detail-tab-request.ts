/**
 * Asks the connection detail to show one of its tabs (the connection list's diagnosis badge opens
 * the Diagnosis tab). The detail keeps its active tab itself; this is the one way in from outside.
 */
type Listener = (tabId: string) => void;

const listeners = new Set<Listener>();

export function showDetailTab(tabId: string): void {
  for (const listener of listeners) listener(tabId);
}

/** Calls `listener` with every requested tab; returns the unsubscribe. */
export function onShowDetailTab(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
