/**
 * Runs right after the relay's first part, in every frame, only while some override (replay) exists:
 * the service worker registers it then (extension/background/content-scripts.ts). It has the relay
 * ask for its tab's overrides before the page's first request.
 */
import { RELAY_ARMED_GLOBAL } from '../src/protocol';

(globalThis as Record<string, unknown> & { [RELAY_ARMED_GLOBAL]?: () => void })[RELAY_ARMED_GLOBAL]?.();
