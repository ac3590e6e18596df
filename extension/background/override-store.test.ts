import { describe, expect, it } from 'vitest';
import { createOverride, OVERRIDES_ARMED_KEY } from '../../src/override';
import { testInfo } from '../../src/test-records';
import { OverrideStore, type StorageArea } from './override-store';

function memoryArea(): StorageArea & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  return {
    items,
    async get(key) {
      if (key === null) return Object.fromEntries(items);
      return items.has(key) ? { [key]: structuredClone(items.get(key)) } : {};
    },
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
    },
    async remove(key) {
      items.delete(key);
    },
  };
}

const SITE = 'http://127.0.0.1:8000';
const override = (id: string) =>
  createOverride(id, { info: testInfo(id, { url: `${SITE}/${id}` }), records: [] }, `${SITE}/page`);

function store() {
  const session = memoryArea();
  const local = memoryArea();
  return { session, local, overrides: new OverrideStore(session, local) };
}

describe('OverrideStore', () => {
  it('keeps a tab’s overrides for that tab only, in the order armed', async () => {
    const { overrides } = store();
    await overrides.arm(1, override('a'));
    await overrides.arm(1, override('b'));
    await overrides.arm(2, override('c'));
    expect((await overrides.list(1, SITE)).map((o) => o.id)).toEqual(['a', 'b']);
    expect((await overrides.list(2, SITE)).map((o) => o.id)).toEqual(['c']);
  });

  it('switched off, an override is listed but not armed; served counts each request', async () => {
    const { overrides } = store();
    await overrides.arm(1, override('a'));
    await overrides.served(1, SITE, 'a');
    await overrides.served(1, SITE, 'a');
    expect(await overrides.change(1, SITE, 'a', { enabled: false })).toEqual({
      tabId: 1,
      pinnedOrigin: null,
    });
    expect(await overrides.armed(1, SITE)).toEqual([]);
    expect(await overrides.list(1, SITE)).toMatchObject([{ id: 'a', enabled: false, served: 2 }]);
  });

  it('pinning moves an override to its site: every tab of that origin (exactly) has it, and it survives the tab', async () => {
    const { overrides, local } = store();
    await overrides.arm(1, override('a'));
    await overrides.arm(1, override('b'));
    expect(await overrides.change(1, SITE, 'a', { pinned: true })).toEqual({ tabId: 1, pinnedOrigin: SITE });
    expect((await overrides.list(7, SITE)).map((o) => o.id)).toEqual(['a']);
    expect(await overrides.list(7, 'http://127.0.0.1:8001')).toEqual([]);
    await overrides.forgetTab(1);
    expect((await overrides.list(1, SITE)).map((o) => o.id)).toEqual(['a']);
    expect(local.items.get(OVERRIDES_ARMED_KEY)).toBe(true);
    // Unpinned from another tab of the site, it becomes that tab's.
    await overrides.change(7, SITE, 'a', { pinned: false });
    expect((await overrides.list(7, SITE)).map((o) => o.id)).toEqual(['a']);
    expect(await overrides.list(8, SITE)).toEqual([]);
  });

  it('keeps the armed flag true exactly while some override exists, and says when it changes before a change resolves', async () => {
    const session = memoryArea();
    const local = memoryArea();
    const seen: unknown[] = [];
    const overrides = new OverrideStore(session, local, async () => {
      seen.push(local.items.get(OVERRIDES_ARMED_KEY));
    });
    await overrides.arm(1, override('a'));
    expect(local.items.get(OVERRIDES_ARMED_KEY)).toBe(true);
    expect(seen).toEqual([true]);
    // A second override changes nothing new documents need.
    await overrides.arm(2, override('b'));
    expect(seen).toEqual([true]);
    await overrides.remove(1, SITE, 'a');
    expect(seen).toEqual([true]);
    await overrides.remove(2, SITE, 'b');
    expect(local.items.get(OVERRIDES_ARMED_KEY)).toBe(false);
    expect(seen).toEqual([true, false]);
    expect(await overrides.remove(1, SITE, 'a')).toBeNull();
    expect(seen).toEqual([true, false]);
  });

  it('changes run one after the other: none is lost', async () => {
    const { overrides } = store();
    await overrides.arm(1, override('a'));
    await Promise.all([1, 2, 3, 4, 5].map(() => overrides.served(1, SITE, 'a')));
    expect((await overrides.list(1, SITE))[0]?.served).toBe(5);
  });
});
