/**
 * Summaries of repeated measurements: median and spread, and ratios of interleaved pairs.
 */

/**
 * @typedef {object} Summary
 * @property {number} n        Samples.
 * @property {number} median
 * @property {number} p25      First quartile (linear interpolation).
 * @property {number} p75      Third quartile.
 * @property {number} min
 * @property {number} max
 */

/**
 * @param {readonly number[]} sorted ascending
 * @param {number} q in [0, 1]
 */
function quantileSorted(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const low = /** @type {number} */ (sorted[lo]);
  const high = /** @type {number} */ (sorted[hi]);
  return low + (high - low) * (at - lo);
}

/**
 * @param {readonly number[]} samples
 * @param {number} q in [0, 1]
 */
export function quantile(samples, q) {
  return quantileSorted(
    [...samples].sort((a, b) => a - b),
    q,
  );
}

/**
 * @param {readonly number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantileSorted(sorted, 0.5),
    p25: quantileSorted(sorted, 0.25),
    p75: quantileSorted(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/**
 * @typedef {object} PairedComparison
 * @property {Summary} with      The extension loaded.
 * @property {Summary} without   No extension.
 * @property {number} ratio      median(with) ÷ median(without).
 * @property {Summary} pairRatios  with ÷ without of each interleaved pair (run i of both).
 * @property {number[]} withSamples
 * @property {number[]} withoutSamples
 */

/**
 * @param {readonly number[]} withSamples
 * @param {readonly number[]} withoutSamples same length, pair i measured back to back
 * @returns {PairedComparison}
 */
export function comparePairs(withSamples, withoutSamples) {
  const pairRatios = withSamples.map((w, i) => w / /** @type {number} */ (withoutSamples[i]));
  const withSummary = summarize(withSamples);
  const withoutSummary = summarize(withoutSamples);
  return {
    with: withSummary,
    without: withoutSummary,
    ratio: withSummary.median / withoutSummary.median,
    pairRatios: summarize(pairRatios),
    withSamples: [...withSamples],
    withoutSamples: [...withoutSamples],
  };
}
