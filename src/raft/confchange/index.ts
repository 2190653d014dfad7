export {
  type ChangeResult,
  Changer,
  type ChangerInput,
  checkInvariants,
  describeChanges,
} from "./confchange.js";
export { restoreConfState } from "./restore.js";
