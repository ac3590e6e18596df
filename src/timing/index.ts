/** Timing statistics of a captured connection (pure; times from when the page read each chunk). */
export {
  type ArrivalHistogram,
  arrivalHistogram,
  axisTicks,
  computeTiming,
  type GapStats,
  niceStep,
  percentile,
  STALL_MS,
  type Stall,
  type TimingInput,
  type TimingStats,
} from './timing';
