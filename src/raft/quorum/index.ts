export {
  type AckedIndexer,
  COMMIT_ALL,
  describeJoint,
  describeMajority,
  type JointConfig,
  jointCommittedIndex,
  jointIds,
  jointVoteResult,
  type MajorityConfig,
  majorityCommittedIndex,
  majorityVoteResult,
  VoteResult,
} from "./quorum.js";
