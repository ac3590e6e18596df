/**
 * Follow mode of the event table: while the user is at the bottom, new rows scroll into view; once
 * they scroll up, the table stays put and counts the rows that arrived since ("↓ 12 new").
 */
export interface FollowState {
  following: boolean;
  /** Row count when the user left the bottom. */
  rowsWhenLeft: number;
}

export const FOLLOWING: FollowState = { following: true, rowsWhenLeft: 0 };

/** The user scrolled (or the table was scrolled) to a position; `atBottom` when the last row shows. */
export function followAfterScroll(state: FollowState, atBottom: boolean, rowCount: number): FollowState {
  if (atBottom) return state.following ? state : FOLLOWING;
  return state.following ? { following: false, rowsWhenLeft: rowCount } : state;
}

/** Rows that arrived since the user scrolled up (0 while following). */
export function rowsSinceLeft(state: FollowState, rowCount: number): number {
  return state.following ? 0 : Math.max(0, rowCount - state.rowsWhenLeft);
}

/**
 * The rows changed for another reason than new records (a filter changed): the count since leaving
 * starts again from the new number of rows.
 */
export function followAfterRefilter(state: FollowState, rowCount: number): FollowState {
  return state.following ? state : { following: false, rowsWhenLeft: rowCount };
}
