// `jobq --help` (every verb, one or two lines each) and `jobq VERB --help` (that verb in full).
import type { VERBS } from './args';

type Verb = (typeof VERBS)[number];

const VERB_HELP: Record<Verb, string> = {
  add: `jobq add [options] -- <command…>
  Queue a command (run by the window's shell, in the current folder or --cwd), with this terminal's
  environment (a venv, conda env or module load travels with the job; VS Code's own variables do not).
  With jobQueue.externalJobs = holdForApproval (the default) it waits for your approval in VS Code.
    --label L           Its name in the Jobs view.
    --after ID[,ID…]    Starts after those jobs complete (repeatable: --after 3 --after 4 = --after 3,4).
    --after-any ID…     Starts after they end in any way.
    --at TIME           Not before TIME: 14:30 (today, or tomorrow once past) or 2026-11-24 02:00.
    --delay N(m|h)      Not before N minutes or hours from now: --delay 30m, --delay 2h.
    --lane NAME         Runs in that lane (jobQueue.lanes).
    --hold              Held (after the approval) until you release it (jobq release ID).
    --cwd DIR           Runs in DIR.
    --no-env            With the window's environment instead of this terminal's.
    --matcher $tsc      A problem matcher (repeatable): findings go to VS Code's Problems panel.
    -p, --print-id      Print only the new job's id (for scripts: id=$(jobq add -p -- make)).`,
  status: `jobq status [--json]    (also: jobq list, jobq ls)
  Running, queued (held / waits-for marks) and the last finished jobs.
  --json: one JSON object, version 1 (its fields are listed in the README, "From the terminal").`,
  wait: `jobq wait ID [ID…] | --all | REQUEST-ID
  Wait until the jobs end. Exit status: 0 if all completed, else the worst (highest) of their exit
  statuses (1 for a cancelled, interrupted or removed job). --all: every job queued or running now.
  A REQUEST-ID (printed by jobq add when it saved a job for later) waits for VS Code to take it.`,
  log: `jobq log [-f] ID
  Print the job's output; -f follows it until the job ends.`,
  cancel: `jobq cancel ID
  Cancel a queued job, or end a running one (its whole process tree).`,
  retry: `jobq retry ID    (also: jobq restart)
  Queue a finished job again, as a new job (the same command, folder, environment and lane).`,
  hold: `jobq hold ID
  Hold a queued job: it does not start until released.`,
  release: `jobq release ID
  Release a job you held. A job waiting for your approval is approved only in VS Code, by you.`,
  send: `jobq send ID
  Start a queued job now (or as soon as a slot of its lane frees), whatever its place; releases a
  hold of yours and drops its start time. Not a job waiting for your approval.`,
  pause: `jobq pause [ID]
  With ID: pause that running job (its processes are stopped). Without: pause the queue (running jobs
  go on; nothing new starts).`,
  resume: `jobq resume [ID]
  With ID: continue a paused job. Without: resume the queue.`,
  help: `jobq help [VERB]
  This text, or one verb's.`,
};

export function helpText(verb: string | undefined): string {
  if (verb !== undefined && verb in VERB_HELP) return `${VERB_HELP[verb as Verb]}\n`;
  return HELP;
}

export const HELP = `jobq — the Job Queue of a VS Code workspace, from its terminals or any shell of yours

Usage:
  jobq add [options] -- <command…>   Queue a command (jobq add --help: --after, --at, --delay, -p, …)
  jobq status [--json]               Running, queued and the last finished jobs (also: list, ls)
  jobq wait ID… | --all              Wait until the jobs end; exit with the worst exit status
  jobq log [-f] ID                   Print (-f: follow) the job's output
  jobq cancel ID                     Cancel a queued or running job
  jobq retry ID                      Queue a finished job again, as a new job
  jobq hold ID / jobq release ID     Hold a queued job / release a hold of yours
  jobq send ID                       Start a queued job now
  jobq pause [ID] / jobq resume [ID] Pause or resume a running job, or (no ID) the queue
  jobq help [VERB]                   This text; jobq VERB --help: that verb in full

Which queue: in VS Code's terminals, the window's. From any other shell: the workspace VS Code has
opened that contains the current folder, or --folder DIR (before or after the verb); a folder is
known once a VS Code window with Job Queue has opened it.
Every change is asked of the VS Code window that runs the queue, which answers with its own words.
A job waiting for your approval is approved only in VS Code.
Exit codes: 0 done, 1 refused or failed, 2 bad arguments or unknown job.
`;
