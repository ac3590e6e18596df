import { describe, expect, it } from 'vitest';
import { FOLLOWING, followAfterRefilter, followAfterScroll, rowsSinceLeft } from './follow';

describe('follow mode', () => {
  it('follows while at the bottom and counts nothing', () => {
    const s = followAfterScroll(FOLLOWING, true, 100);
    expect(s.following).toBe(true);
    expect(rowsSinceLeft(s, 150)).toBe(0);
  });

  it('stops following when the user scrolls up, and counts rows that arrive after', () => {
    const left = followAfterScroll(FOLLOWING, false, 100);
    expect(left.following).toBe(false);
    expect(rowsSinceLeft(left, 100)).toBe(0);
    expect(rowsSinceLeft(left, 137)).toBe(37);
    // Scrolling around above the bottom keeps the count.
    expect(followAfterScroll(left, false, 140)).toBe(left);
  });

  it('follows again when the user is back at the bottom (by scrolling or the "new" pill)', () => {
    const left = followAfterScroll(FOLLOWING, false, 100);
    const back = followAfterScroll(left, true, 140);
    expect(back.following).toBe(true);
    expect(rowsSinceLeft(back, 200)).toBe(0);
  });

  it('a new filter restarts the count from the rows it shows', () => {
    const left = followAfterScroll(FOLLOWING, false, 100);
    const refiltered = followAfterRefilter(left, 12);
    expect(rowsSinceLeft(refiltered, 15)).toBe(3);
    expect(followAfterRefilter(FOLLOWING, 12)).toBe(FOLLOWING);
  });
});
