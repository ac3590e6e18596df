/** Helpers shared by the chunk and diagnosis unit tests (not shipped: only test files import this). */
import type { StreamChunk } from '../model';

/** Chunks of these texts, `stepMs` apart from t=1000. */
export function chunksOf(texts: readonly string[], stepMs = 100): StreamChunk[] {
  return texts.map((text, i) => ({ seq: i + 1, time: 1000 + stepMs * i, text }));
}
