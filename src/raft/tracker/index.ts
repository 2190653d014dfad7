export { Inflights } from "./inflights.js";
export { Progress, ProgressState, progressStateNames } from "./progress.js";
export {
  cloneTrackerConfig,
  describeTrackerConfig,
  emptyTrackerConfig,
  type ProgressMap,
  ProgressTracker,
  type TrackerConfig,
  trackerConfigToConfState,
} from "./tracker.js";
