// Runs jobs on a Slurm cluster behind the runner port. The queue stays ours: a job is submitted
// (sbatch) only when our scheduler dispatches it, and only after its `starting` record is durable.
// Nothing here is local-process specific: a run is its tag (job name), its output file, its exit
// file and its `.submitted` marker, all derived from the log path (see slurmFiles.ts).
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
import type { JobSpec, RunHandle } from '../../model';
import type { JobExecution, JobRunner, LocateRequest, LocateResult, StartRequest } from '../types';
import { jobEnvironment } from '../jobEnvironment';
import { workingFolderProblem } from '../startChecks';
import { execFileCommands, type SlurmCommands } from './slurmCommands';
import { SlurmAccounting } from './slurmAccounting';
import { SlurmExecution } from './slurmExecution';
import type { ArrayRun, PreparedSubmission, SlurmShared, Submission } from './slurmShared';
import { ArrayProgress, arraySpecOf, arrayTaskIds } from './slurmArray';
import { describeDirectives, scriptDirectives } from './batchScript';
import { canonicalWord } from '../../spec/sbatchArgs';
import { ensureWrapper, linkLogToOutput, readExitFile, readMarker, slurmHandleFor, SlurmHandleSchema, type SlurmHandle } from './slurmFiles';
import { mergeSlurmOptions, sbatchOptionArgs, SlurmJobOptionsSchema } from '../../spec/slurmJobOptions';
import { SlurmPoller } from './slurmPoller';

const commandsSchema = z.custom<SlurmCommands>(
  (v) => typeof v === 'object' && v !== null && typeof (v as SlurmCommands).run === 'function' && typeof (v as SlurmCommands).find === 'function',
  'commands must implement SlurmCommands',
);
const ms = (min: number, max: number) => z.optional(z.int().check(z.minimum(min), z.maximum(max)));

export const SlurmRunnerConfigSchema = z.object({
  /** sbatch options every job gets unless it says otherwise (settings `jobQueue.slurm.*`). */
  defaults: z.optional(SlurmJobOptionsSchema),
  /** The slowest poll: the cap of the back-off while the controller is unreachable, and of waiting runs' poll. */
  maxPollMs: ms(500, 600_000),
  /** The poll while a run is active (its processes exist, or an action is in flight). */
  activePollMs: ms(10, 60_000),
  /** The poll just after a user action (pause, cancel). */
  burstPollMs: ms(5, 10_000),
  /** How long a Slurm command may take before it counts as "no answer". */
  commandTimeoutMs: ms(500, 300_000),
  /** A submission sbatch never confirmed and squeue never listed counts as not submitted after this long (default 60 s). */
  lostSubmissionMs: ms(100, 3_600_000),
  /** Whose jobs squeue lists (default: this process's user). */
  user: z.optional(z.string().check(z.minLength(1))),
  /** Where the nodes write each job's output and exit file (absolute); absent: next to the queue's log. */
  outputDir: z.optional(z.string().check(z.refine((dir) => path.isAbsolute(dir), 'outputDir must be an absolute path'))),
  /** The commands layer (tests inject a fake). */
  commands: z.optional(commandsSchema),
});
export type SlurmRunnerConfig = z.input<typeof SlurmRunnerConfigSchema>;

/** How long a found "sbatch is on PATH" stays believed (checkCanStart runs per dispatched job). */
const FOUND_FOR_MS = 10_000;
/** How long a folder's opening waits for the squeue that reattach() judges by (an answer after that still helps the poller). */
const PREFETCH_WAIT_MS = 3000;
/** How old that answer may be and still prove a run is gone (a takeover much later adopts and judges instead). */
const PREFETCH_VALID_MS = 30_000;

export class SlurmRunner implements JobRunner {
  readonly backend = 'slurm';
  /** Nothing is submitted before release(). */
  readonly startsHeld = true;
  readonly canPauseJobs = true;
  private readonly shared: SlurmShared;
  private defaults: z.infer<typeof SlurmJobOptionsSchema>;
  private outputDir: string | undefined;
  private sbatchFoundAt = 0;

  constructor(config: SlurmRunnerConfig = {}) {
    const parsed = SlurmRunnerConfigSchema.parse(config);
    const timeoutMs = parsed.commandTimeoutMs ?? 15_000;
    const commands = parsed.commands ?? execFileCommands(timeoutMs);
    const activeMs = parsed.activePollMs ?? 1000;
    const poller = new SlurmPoller(commands, parsed.user ?? os.userInfo().username, {
      activeMs,
      idleMs: Math.max(activeMs, parsed.maxPollMs ?? 10_000),
      burstMs: Math.min(activeMs, parsed.burstPollMs ?? 250),
      burstForMs: 3000,
    });
    // The runs' commands go through the poller's counting layer: a poll's cost is measured.
    this.shared = { commands: poller.counted, poller, pauseMethod: undefined, lostSubmissionMs: parsed.lostSubmissionMs ?? 60_000, accounting: new SlurmAccounting(poller.counted) };
    this.defaults = parsed.defaults ?? {};
    this.outputDir = parsed.outputDir;
  }

  /** A new output folder (the setting changed): for the jobs submitted from now on. */
  setOutputDir(dir: string | undefined): void {
    this.outputDir = SlurmRunnerConfigSchema.shape.outputDir.parse(dir);
  }

  /** Slurm commands the last poll issued: 1, whatever the number of runs (the benchmark shows it). */
  get commandsPerPoll(): number {
    return this.shared.poller.commandsLastPoll;
  }

  /** The window's focus (the extension tells): polling slows down while nobody looks. */
  /** New defaults (the settings changed): for the jobs submitted from now on; submitted ones keep theirs. */
  setDefaults(defaults: z.input<typeof SlurmJobOptionsSchema>): void {
    this.defaults = SlurmJobOptionsSchema.parse(defaults);
  }

  setWindowFocused(focused: boolean): void {
    this.shared.poller.setFocused(focused);
  }

  get polls(): number {
    return this.shared.poller.polls;
  }

  checkCanStart(spec: JobSpec): string | undefined {
    if (Date.now() - this.sbatchFoundAt > FOUND_FOR_MS) {
      if (!this.shared.commands.find('sbatch')) return 'Could not start: sbatch was not found on PATH (Slurm is not installed here; on a cluster, open the folder on its login node with Remote-SSH).';
      this.sbatchFoundAt = Date.now();
    }
    const options = SlurmJobOptionsSchema.safeParse(mergeSlurmOptions(this.defaults, spec.runOn?.kind === 'slurm' ? spec.runOn.options : undefined));
    if (!options.success) return `Could not start: the Slurm options are not valid: ${options.error.issues.map((i) => i.message).join('; ')}`;
    return workingFolderProblem(spec.cwd);
  }

  /** Synchronous and submits NOTHING: the run waits at its gate until release(). */
  start(request: StartRequest): JobExecution {
    const handle = slurmHandleFor(request.jobId, request.attempt, request.logPath, this.outputDir);
    const spec = request.spec;
    const options = mergeSlurmOptions(this.defaults, spec.runOn?.kind === 'slurm' ? spec.runOn.options : undefined);
    const shell = request.shell || process.env.SHELL || '/bin/sh';
    const cwd = spec.cwd ?? process.cwd();
    // Called at release (a failure to write here fails the start plainly): the script's directives, the files, then the argv.
    const prepare = async (extra: string[]): Promise<PreparedSubmission> => {
      const directives = await scriptDirectives(spec.command, cwd);
      if (directives.kind === 'refused') return { kind: 'refused', reason: `Could not start: ${directives.message}` };
      const fromScript = directives.kind === 'read' ? directives.options.map(canonicalWord) : [];
      const array = arrayOf([...fromScript, ...sbatchOptionArgs(options)]);
      if (array && 'problem' in array) return { kind: 'refused', reason: `Could not start: ${array.problem}` };
      linkLogToOutput(request.logPath, handle.output);
      const argv = [
        // First: sbatch's command line overrides a script's directives, and a later option an earlier one.
        ...fromScript,
        '--parsable',
        `--job-name=${handle.tag}`,
        '--comment=job-queue',
        `--output=${handle.output}`,
        '--open-mode=append',
        // Said, not assumed: an SBATCH_EXPORT=NONE in a captured terminal environment, or a site's
        // default, would otherwise run the job without the environment it was queued with.
        '--export=ALL',
        `--chdir=${cwd}`,
        ...sbatchOptionArgs(options),
        ...extra,
        // Written once per folder, never from the command: the command is only ever an argument.
        ensureWrapper(path.dirname(handle.output)),
        shell,
        spec.command,
        handle.exitFile,
        ...(array ? ['array'] : []),
      ];
      return { kind: 'ready', argv, ...(directives.kind === 'read' ? { fromScript: describeDirectives(directives) } : {}), ...(array ? { array } : {}) };
    };
    // The job's environment is sbatch's own: sbatch exports it to the job (--export=ALL, above).
    return new SlurmExecution(handle, this.shared, { prepare, env: jobEnvironment(process.env, spec.env), ...dependencyOf(request) });
  }

  /** Before a folder opens: one async squeue, so reattach() needs no command (see SlurmPoller.prefetch). */
  prepareToReattach(): Promise<void> {
    return this.shared.poller.prefetch(PREFETCH_WAIT_MS);
  }

  reattach(raw: RunHandle, _logPath?: string): LocateResult {
    const parsed = SlurmHandleSchema.safeParse(raw);
    if (!parsed.success) return { kind: 'unknown', reason: 'its Slurm record could not be read' };
    return this.find(parsed.data);
  }

  /** Where the run's files are comes from its marker (written at submission), not from today's output-folder setting. */
  locate(request: LocateRequest): LocateResult {
    const derived = slurmHandleFor(request.jobId, request.attempt, request.logPath, this.outputDir);
    const marker = readMarker(derived.marker);
    return this.find(marker?.output && marker.exitFile ? { ...derived, output: marker.output, exitFile: marker.exitFile } : derived);
  }

  /**
   * Decided from the files and the squeue answer fetched before the folder opened — never by a
   * command of its own (this runs on the editor's thread). Exit file → finished; no marker →
   * never submitted (the marker is synced before sbatch is asked); listed, or no fresh answer
   * (controller down or slow) → adopted and judged by the poller when Slurm answers; a marker with
   * no Slurm id and not listed → adopted too, looked for until the lost-submission timeout (its
   * sbatch may still be answering); gone from Slurm with a known id and no exit file → unknown.
   */
  private find(handle: SlurmHandle): LocateResult {
    const marker = readMarker(handle.marker);
    const parsedArray = marker?.array ? arrayOf([`--array=${marker.array}`]) : undefined;
    const array = parsedArray && !('problem' in parsedArray) ? parsedArray : undefined;
    const recordedEnd = () => (array ? new ArrayProgress(array.tasks, handle.exitFile).look() : readExitFile(handle.exitFile));
    const recorded = recordedEnd();
    if (recorded) return { kind: 'finished', exit: recorded };
    if (marker?.refused) return { kind: 'finished', exit: { kind: 'failedToStart', reason: marker.refused, finishedAt: marker.at } };
    const slurmId = handle.slurmId ?? marker?.slurmId;
    const known = { ...handle, ...(slurmId ? { slurmId } : {}) };
    const snapshot = this.shared.poller.recent(PREFETCH_VALID_MS);
    const listed = snapshot?.rows.has(handle.tag) ?? false;
    if (!listed && !marker && !slurmId) return { kind: 'neverStarted' };
    // Only an answer asked after the id was known proves the job gone (one asked before may predate it).
    if (!listed && slurmId && snapshot && marker?.confirmedAt !== undefined && snapshot.askedAt > marker.confirmedAt) {
      const late = recordedEnd();
      if (late) return { kind: 'finished', exit: late };
      return { kind: 'unknown', reason: `Slurm no longer lists job ${slurmId} and it left no exit status` };
    }
    return { kind: 'running', execution: new SlurmExecution(known, this.shared, undefined, array) };
  }
}

/** The job array these sbatch words ask for (the last --array wins), or why its value cannot be read. */
function arrayOf(words: readonly string[]): ArrayRun | { problem: string } | undefined {
  const spec = arraySpecOf(words);
  if (spec === undefined) return undefined;
  const tasks = arrayTaskIds(spec);
  return Array.isArray(tasks) ? { spec, tasks } : tasks;
}

/** The runs of ours a job waits for, as Slurm handles (a run that is not a Slurm one cannot be waited for by Slurm). */
function dependencyOf(request: StartRequest): Pick<Submission, 'waitsFor'> {
  if (!request.waitsFor) return {};
  const runs = request.waitsFor.runs.map((raw) => SlurmHandleSchema.safeParse(raw));
  const bad = runs.findIndex((r) => !r.success);
  if (bad >= 0) throw new Error('a job it waits for does not run on Slurm, so Slurm cannot wait for it');
  return { waitsFor: { condition: request.waitsFor.condition, runs: runs.map((r) => r.data!) } };
}
