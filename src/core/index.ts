// The engine's public face. Nothing under src/core imports `vscode`.
export { openJobService, JobService } from './jobService';
export type { JobServiceOptions, ConfigurableOptions, QueueView, SendResult, SubmitResult, RetryChanges, AfterInput, WaitReason, LaneView } from './jobService';
export { describeWait } from './jobService';
export { ExternalJobsPolicySchema, type ExternalJobsPolicy } from './options';
export type { OpenReport, RefusedRequest, StoreWarning } from './openReport';
export { describeOwner, notOwnerMessage, type OwnerInfo, type QueueRole } from './ownership/role';
export { JobError, isJobError } from './errors';
export type { JobErrorCode } from './errors';
export type { JobServiceEvent, JobServiceEventType, JobServiceListener, Disposable } from './events';
export {
  JobSchema, JobSpecSchema, JobStatusSchema, JobSourceSchema, ProgressSchema, InterruptedPolicySchema,
  QueueSnapshotSchema, HistoryEventSchema, FINISHED_STATUSES, JOB_STATUSES, isFinished, isActive, jobTitle,
  AfterSchema, HoldSchema, ScheduleInputSchema, DependencyConditionSchema, JobIdSchema, LaneNameSchema, DEFAULT_LANE,
  ProblemMatcherNameSchema, MAX_PROBLEM_MATCHERS,
} from './model';
export type {
  Job, JobSpec, JobSpecInput, JobStatus, JobSource, Progress, InterruptedPolicy, QueueSnapshot, HistoryEvent,
  After, Hold, ScheduleInput, DependencyCondition, RunOn,
} from './model';
export { can, type JobAction } from './lifecycle';
export type { JobRunner, JobExecution, RunExit, RunEnd, RunDetails, BackendName, StartRequest, ReattachResult } from './runner/types';
