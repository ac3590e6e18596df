import { describe, expect, it } from 'vitest';
import { badgeText, StatsPublisher, TabStats } from './tab-stats';

describe('TabStats', () => {
  it('sums the frames of a tab and keeps tabs apart', () => {
    const stats = new TabStats<string>();
    expect(stats.report(1, 'top', { total: 2, live: 1 })).toBe(true);
    expect(stats.report(1, 'iframe', { total: 1, live: 1 })).toBe(true);
    expect(stats.report(2, 'top', { total: 5, live: 0 })).toBe(true);
    expect(stats.of(1)).toEqual({ total: 3, live: 2 });
    expect(stats.of(2)).toEqual({ total: 5, live: 0 });
    expect(stats.of(3)).toEqual({ total: 0, live: 0 });
  });

  it('replaces a relay report rather than adding it, and says when the sum changed', () => {
    const stats = new TabStats<string>();
    stats.report(1, 'top', { total: 2, live: 1 });
    expect(stats.report(1, 'top', { total: 2, live: 1 })).toBe(false);
    expect(stats.report(1, 'top', { total: 2, live: 0 })).toBe(true);
    expect(stats.of(1)).toEqual({ total: 2, live: 0 });
  });

  it('forgets a relay that disconnected, and a tab that navigated', () => {
    const stats = new TabStats<string>();
    stats.report(1, 'top', { total: 2, live: 1 });
    stats.report(1, 'iframe', { total: 1, live: 1 });
    expect(stats.forget(1, 'iframe')).toBe(true);
    expect(stats.forget(1, 'iframe')).toBe(false);
    expect(stats.of(1)).toEqual({ total: 2, live: 1 });
    expect(stats.clear(1)).toBe(true);
    expect(stats.clear(1)).toBe(false);
    expect(stats.of(1)).toEqual({ total: 0, live: 0 });
    // A relay of the old document reporting after the clear counts again until it disconnects.
    stats.report(1, 'top', { total: 2, live: 0 });
    expect(stats.forget(1, 'top')).toBe(true);
    expect(stats.of(1)).toEqual({ total: 0, live: 0 });
  });
});

describe('badgeText', () => {
  it('shows live streams, nothing when none, and caps what fits', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(1)).toBe('1');
    expect(badgeText(999)).toBe('999');
    expect(badgeText(1000)).toBe('999+');
  });
});

describe('StatsPublisher', () => {
  it('sets the badge and broadcasts once per burst, and only what changed', () => {
    const stats = new TabStats<string>();
    const badges: [number, string][] = [];
    const broadcasts: [number, number, number][] = [];
    let run: (() => void) | null = null;
    const publisher = new StatsPublisher((tabId) => stats.of(tabId), {
      setBadge: (tabId, text) => badges.push([tabId, text]),
      broadcast: (tabId, { total, live }) => broadcasts.push([tabId, total, live]),
      schedule: (next) => {
        run = next;
      },
    });
    const flush = () => {
      const next = run;
      run = null;
      next?.();
    };
    for (let i = 1; i <= 500; i++) {
      stats.report(1, `relay${i % 3}`, { total: i, live: i % 7 });
      publisher.changed(1);
    }
    stats.report(2, 'r', { total: 1, live: 1 });
    publisher.changed(2);
    flush();
    expect(badges).toEqual([
      [1, String((500 % 7) + (499 % 7) + (498 % 7))],
      [2, '1'],
    ]);
    expect(broadcasts).toHaveLength(2);
    // Nothing new: neither the badge nor the panels hear again.
    publisher.changed(1);
    flush();
    expect(badges).toHaveLength(2);
    expect(broadcasts).toHaveLength(2);
    // The total moved but the live count did not: a broadcast, no badge.
    stats.report(1, 'relay0', { total: 9999, live: 498 % 7 });
    publisher.changed(1);
    flush();
    expect(broadcasts).toHaveLength(3);
    expect(badges).toHaveLength(2);
  });
});
