// The terminal command (`jobq`): queues into the workspace's Job Queue from VS Code's integrated
// terminals, where the extension puts it on PATH and sets JOB_QUEUE_DIR (the queue's storage folder),
// or from any shell of the same user, through the workspace registry (queueLocation.ts).
// It never writes the queue's files: it reads them (list, wait, log) and asks the window that runs
// the queue through its inbox (add and every change: one QueueRequest each). Exit codes: 0 done, 1 refused or failed, 2 bad input.
import { isJobError } from '../core/errors';
import { UsageError, parseArgs } from './args';
import { helpText } from './help';
import type { Io } from './io';
import { list } from './list';
import { queueDirFor, takeFolderOption } from './queueLocation';
import { DEFAULT_WAITS, add, jobAction, queueAction, type Waits } from './requests';
import { printLog, waitForAll, waitForJobs, waitForRequest } from './watch';

export type { Io } from './io';

export async function main(argv: readonly string[], io: Io, waits: Waits = DEFAULT_WAITS): Promise<number> {
  try {
    const global = takeFolderOption(argv);
    const command = parseArgs(global.args);
    if (command.kind === 'help') {
      io.out(helpText(command.verb));
      return 0;
    }
    const dir = await queueDirFor(io, global.folder);
    switch (command.kind) {
      case 'add': return await add(io, dir, command, waits);
      case 'jobAction': return await jobAction(io, dir, command.action, command.id, waits);
      case 'queueAction': return await queueAction(io, dir, command.action, waits);
      case 'list': return list(io, dir, command.json);
      case 'wait': return await waitForJobs(io, dir, command.ids);
      case 'waitAll': return await waitForAll(io, dir);
      case 'waitRequest': return await waitForRequest(io, dir, command.requestId);
      case 'log': return await printLog(io, dir, command.id, command.follow);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`jobq: ${error.message}\nSee jobq --help.\n`);
      return 2;
    }
    io.err(`jobq: ${isJobError(error) ? error.message : String((error as Error)?.message ?? error)}\n`);
    return 1;
  }
}
