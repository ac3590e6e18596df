import { describe, expect, it } from 'vitest';
import { createOverride } from './override';
import {
  createOverrideArm,
  createOverrideChange,
  createOverrideRemove,
  createOverrides,
  createOverridesRequest,
  createRelayOverrides,
  createReplayCancel,
  createReplayStart,
  isOverridesMessage,
  isPanelOverridesMessage,
  isRelayOverrides,
  isReplayCancel,
  isReplayStart,
} from './protocol';
import { testInfo } from './test-records';

const override = createOverride('o1', { info: testInfo('c1'), records: [] }, 'http://127.0.0.1/');
const request = { method: 'GET', url: 'http://127.0.0.1/c1', headers: {}, body: null };

describe('replay messages', () => {
  it('every factory makes a message its guard accepts', () => {
    expect(isReplayStart(createReplayStart('r', 'o1', 'fetch', request))).toBe(true);
    expect(isReplayCancel(createReplayCancel('r', 'why'))).toBe(true);
    expect(isRelayOverrides(createRelayOverrides([override]))).toBe(true);
    expect(isOverridesMessage(createOverrides(3, [override]))).toBe(true);
    for (const message of [
      createOverridesRequest(3),
      createOverrideArm(3, override),
      createOverrideChange(3, 'o1', { enabled: false, timing: { speed: null } }),
      createOverrideRemove(3, 'o1'),
    ]) {
      expect(isPanelOverridesMessage(message), message.type).toBe(true);
    }
  });

  it('what a page could post on the agent’s port is checked field by field', () => {
    expect(isReplayStart({ ...createReplayStart('r', 'o1', 'fetch', request), transport: 'websocket' })).toBe(
      false,
    );
    expect(
      isReplayStart({
        ...createReplayStart('r', 'o1', 'fetch', request),
        request: { ...request, headers: { a: 1 } },
      }),
    ).toBe(false);
    expect(isReplayStart({ ...createReplayStart('r', 'o1', 'xhr', request), v: 0 })).toBe(false);
    expect(isReplayCancel({ type: 'replay-cancel', v: 1 })).toBe(false);
  });

  it('a panel change with a malformed patch or override is refused', () => {
    expect(
      isPanelOverridesMessage(createOverrideChange(3, 'o1', { faults: [{ kind: 'cut' } as never] })),
    ).toBe(false);
    expect(
      isPanelOverridesMessage(createOverrideChange(3, 'o1', { timing: { speed: 'fast' as never } })),
    ).toBe(false);
    expect(isPanelOverridesMessage(createOverrideArm(3, { ...override, served: -1 }))).toBe(false);
    expect(isPanelOverridesMessage({ ...createOverridesRequest(3), tabId: 'x' })).toBe(false);
    expect(isRelayOverrides(createRelayOverrides([{ ...override, match: null as never }]))).toBe(false);
  });
});
