/**
 * The overrides the panel armed, kept where Chrome keeps them across service-worker restarts: a
 * tab's own in `chrome.storage.session` (they end with the browser session, and are dropped when the
 * tab closes), those pinned to a site in `chrome.storage.local` by exact origin (armed in every tab
 * showing that site, until removed). The service worker itself holds nothing (it may stop at any
 * moment). Storage is behind a small interface so the rules are unit-tested without Chrome.
 */
import {
  isOverride,
  OVERRIDES_ARMED_KEY,
  type Override,
  type OverridePatch,
  patchOverride,
} from '../../src/override';

/** The part of a `chrome.storage` area used here. */
export interface StorageArea {
  /** `null`: every item. */
  get(key: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const PINNED_KEY = 'pinnedOverrides';
const tabKey = (tabId: number) => `overrides:${tabId}`;

function listOf(value: unknown): Override[] {
  return Array.isArray(value) ? value.filter(isOverride) : [];
}

/** What changed, so the caller knows whom to tell: one tab, or every tab of a site. */
export interface OverrideChange {
  tabId: number;
  /** Set when overrides pinned to this origin changed (every tab showing it is concerned). */
  pinnedOrigin: string | null;
}

export class OverrideStore {
  private writing: Promise<unknown> = Promise.resolve();

  /**
   * @param armedChanged called, and awaited, when overrides come to exist or cease to: the content
   * scripts registered for new documents change then (extension/background/content-scripts.ts).
   */
  constructor(
    private readonly session: StorageArea,
    private readonly local: StorageArea,
    private readonly armedChanged: () => Promise<void> = async () => {},
  ) {}

  /** The tab's overrides, then those pinned to `origin` (the tab's page's), in the order they were armed. */
  async list(tabId: number, origin: string): Promise<Override[]> {
    const [own, pinned] = await Promise.all([this.own(tabId), this.pinned()]);
    return [...own, ...(pinned[origin] ?? [])];
  }

  /** What the tab's relays serve: its enabled overrides. */
  async armed(tabId: number, origin: string): Promise<Override[]> {
    return (await this.list(tabId, origin)).filter((o) => o.enabled);
  }

  arm(tabId: number, override: Override): Promise<OverrideChange> {
    return this.write(async () => {
      if (override.pinned) {
        const pinned = await this.pinned();
        pinned[override.origin] = [...(pinned[override.origin] ?? []), override];
        await this.local.set({ [PINNED_KEY]: pinned });
        return { tabId, pinnedOrigin: override.origin };
      }
      await this.session.set({ [tabKey(tabId)]: [...(await this.own(tabId)), override] });
      return { tabId, pinnedOrigin: null };
    });
  }

  /** Applies `patch` to override `id` of the tab (or pinned to `origin`); pinning moves it between the stores. */
  change(tabId: number, origin: string, id: string, patch: OverridePatch): Promise<OverrideChange | null> {
    return this.update(tabId, origin, id, (override) => patchOverride(override, patch));
  }

  remove(tabId: number, origin: string, id: string): Promise<OverrideChange | null> {
    return this.update(tabId, origin, id, () => null);
  }

  /** Counts one request answered by override `id`. */
  served(tabId: number, origin: string, id: string): Promise<OverrideChange | null> {
    return this.update(tabId, origin, id, (override) => ({ ...override, served: override.served + 1 }));
  }

  /** The tab closed: its own overrides go (pinned ones stay with their site). */
  forgetTab(tabId: number): Promise<unknown> {
    return this.write(() => this.session.remove(tabKey(tabId)));
  }

  private update(
    tabId: number,
    origin: string,
    id: string,
    change: (override: Override) => Override | null,
  ): Promise<OverrideChange | null> {
    return this.write(async () => {
      const own = await this.own(tabId);
      const pinned = await this.pinned();
      const pinnedHere = pinned[origin] ?? [];
      const before = own.find((o) => o.id === id) ?? pinnedHere.find((o) => o.id === id);
      if (!before) return null;
      const after = change(before);
      const nextOwn = own.filter((o) => o.id !== id);
      const nextPinned = pinnedHere.filter((o) => o.id !== id);
      // In place, so the list keeps its order.
      const place = (list: Override[], original: Override[]) => {
        if (!after) return list;
        const at = original.findIndex((o) => o.id === id);
        const out = [...list];
        out.splice(at < 0 ? out.length : at, 0, after);
        return out;
      };
      if (after?.pinned) pinned[origin] = place(nextPinned, pinnedHere);
      else pinned[origin] = nextPinned;
      if (pinned[origin]?.length === 0) delete pinned[origin];
      const ownList = after && !after.pinned ? place(nextOwn, own) : nextOwn;
      await this.session.set({ [tabKey(tabId)]: ownList });
      const pinnedChanged = before.pinned || !!after?.pinned;
      if (pinnedChanged) await this.local.set({ [PINNED_KEY]: pinned });
      return { tabId, pinnedOrigin: pinnedChanged ? origin : null };
    });
  }

  private async own(tabId: number): Promise<Override[]> {
    return listOf((await this.session.get(tabKey(tabId)))[tabKey(tabId)]);
  }

  private async pinned(): Promise<Record<string, Override[]>> {
    const stored = (await this.local.get(PINNED_KEY))[PINNED_KEY];
    const out: Record<string, Override[]> = {};
    if (typeof stored !== 'object' || stored === null) return out;
    for (const [origin, list] of Object.entries(stored)) {
      const overrides = listOf(list);
      if (overrides.length > 0) out[origin] = overrides;
    }
    return out;
  }

  /**
   * Keeps `OVERRIDES_ARMED_KEY` (in `chrome.storage.local`) true exactly while some override exists,
   * and calls `armedChanged` when it changes: a new document's relay asks the service worker for its
   * tab's overrides only then, so that without any, a page load costs no message and wakes no worker.
   */
  async updateArmedFlag(): Promise<void> {
    const session = await this.session.get(null);
    const anyOwn = Object.entries(session).some(
      ([key, value]) => key.startsWith('overrides:') && listOf(value).length > 0,
    );
    const anyPinned = Object.keys(await this.pinned()).length > 0;
    const armed = anyOwn || anyPinned;
    const was = (await this.local.get(OVERRIDES_ARMED_KEY))[OVERRIDES_ARMED_KEY] === true;
    await this.local.set({ [OVERRIDES_ARMED_KEY]: armed });
    if (armed !== was) await this.armedChanged();
  }

  /** Runs writes one after the other, each reading what the previous one wrote. */
  private write<T>(run: () => Promise<T>): Promise<T> {
    const result = this.writing.then(async () => {
      const out = await run();
      await this.updateArmedFlag();
      return out;
    });
    this.writing = result.catch(() => undefined);
    return result;
  }
}
