// The list of every command, one module each (registered together in extension.ts).
import type { CommandDefinition } from './shared';
import { addJob } from './addJob';
import { addTaskAsJob } from './addTaskAsJob';
import { sendJob } from './sendJob';
import { pauseQueue } from './pauseQueue';
import { resumeQueue } from './resumeQueue';
import { enableAutoRun } from './enableAutoRun';
import { disableAutoRun } from './disableAutoRun';
import { pauseJob } from './pauseJob';
import { resumeJob } from './resumeJob';
import { cancelJob } from './cancelJob';
import { cancelAndRequeue } from './cancelAndRequeue';
import { retryJob } from './retryJob';
import { retryWithChanges } from './retryWithChanges';
import { moveUp } from './moveUp';
import { moveDown } from './moveDown';
import { moveToTop } from './moveToTop';
import { removeJob } from './removeJob';
import { showLog, showLogAsText } from './showLog';
import { showRunningJob } from './showRunningJob';
import { showInSlurm } from './showInSlurm';
import { cancelAllQueued } from './cancelAllQueued';
import { clearHistory } from './clearHistory';
import { showExtensionLog } from './showExtensionLog';
import { showMoreHistory } from './showMoreHistory';
import { holdJob } from './holdJob';
import { releaseJob } from './releaseJob';
import { runAfter } from './runAfter';
import { setStartTime } from './setStartTime';
import { clearStartTime } from './clearStartTime';
import { pauseLane, resumeLane } from './laneCommands';

export const allCommands: readonly CommandDefinition[] = [
  addJob, addTaskAsJob, sendJob, pauseQueue, resumeQueue, enableAutoRun, disableAutoRun,
  pauseJob, resumeJob, cancelJob, cancelAndRequeue, retryJob, retryWithChanges,
  holdJob, releaseJob, runAfter, setStartTime, clearStartTime, pauseLane, resumeLane, moveUp, moveDown, moveToTop, removeJob, showLog, showLogAsText, showRunningJob, showInSlurm, cancelAllQueued, clearHistory,
  showExtensionLog, showMoreHistory,
];
