// What a Slurm run leaves on disk, next to its output: the exit file its wrapper writes (the most
// reliable record of how it ended: it outlives Slurm's memory of the job), and the `.submitted`
// marker (written BEFORE sbatch is asked, then given the Slurm id) which is how a later host tells
// "never submitted" (no marker: start it now, it is no rerun) from "submitted and lost" (unknown).
// All names derive from the log path, so the queue's log pruning removes them with the log.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import type { RunExit } from '../types';
import { signalFromShellCode } from '../posixExecution';
import { writeFileAtomicSync } from '../../store/atomicFile';

export const TAG_PREFIX = 'jq-';

export const SlurmHandleSchema = z.object({
  kind: z.literal('slurm'),
  /** The job name given to sbatch: how squeue's rows are matched to our runs. */
  tag: z.string().check(z.minLength(1)),
  output: z.string().check(z.minLength(1)),
  exitFile: z.string().check(z.minLength(1)),
  marker: z.string().check(z.minLength(1)),
  /** Known once sbatch answered (a handle found again carries it). */
  slurmId: z.optional(z.string()),
});
export type SlurmHandle = z.infer<typeof SlurmHandleSchema>;

/**
 * The handle of a run, from what start() is given (locate() derives the same one). The output and
 * the exit file are what the compute node writes: next to the queue's log, or in `outputDir` (a
 * folder the nodes see, setting jobQueue.slurm.outputDirectory) — then the log is a link to the
 * output. The marker is the host's own: always next to the log.
 */
export function slurmHandleFor(jobId: string, attempt: number, logPath: string, outputDir?: string): SlurmHandle {
  const hash = createHash('sha1').update(path.resolve(logPath)).digest('hex').slice(0, 8);
  const tag = `${TAG_PREFIX}${jobId}.${attempt}-${hash}`;
  const output = outputDir ? path.join(outputDir, `${tag}.out`) : logPath;
  return { kind: 'slurm', tag, output, exitFile: `${output}.exit`, marker: `${logPath}.submitted` };
}

/** With an output folder: the queue's log becomes a link to the output the node writes (the card and Show Job Log read it). */
export function linkLogToOutput(logPath: string, output: string): void {
  if (output === logPath) return;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.rmSync(logPath, { force: true });
  fs.symlinkSync(output, logPath);
}

const MarkerSchema = z.object({
  tag: z.string(),
  at: z.number(),
  /**
   * Where this run's node writes its output and exit file, as it was when it was submitted: a later
   * host finds them there even if the output folder setting changed since (locate()).
   */
  output: z.optional(z.string()),
  exitFile: z.optional(z.string()),
  /** A job array's `--array` value: each task writes its own exit file (see slurmArray.ts). */
  array: z.optional(z.string()),
  slurmId: z.optional(z.string()),
  /** When the id was learned: a squeue asked after this that does not list the job proves it gone. */
  confirmedAt: z.optional(z.number()),
  /** sbatch's refusal, so a host that died before recording it still fails the job with it. */
  refused: z.optional(z.string()),
});
export type SubmitMarker = z.infer<typeof MarkerSchema>;

/** Synced and renamed into place (never half a marker): the record written before sbatch is asked. */
export function writeMarker(file: string, marker: SubmitMarker): void {
  writeFileAtomicSync(file, JSON.stringify(marker) + '\n');
}

/** The marker of a run about to be submitted: its tag, and where its node writes (so it is found there later). */
export function submitMarker(handle: SlurmHandle, array?: string): SubmitMarker {
  return { tag: handle.tag, at: Date.now(), output: handle.output, exitFile: handle.exitFile, ...(array ? { array } : {}) };
}

/** The Slurm id into the marker (from sbatch, or from squeue after sbatch timed out): a later host then knows it by id. */
export function recordSlurmId(handle: SlurmHandle, slurmId: string): void {
  try {
    writeMarker(handle.marker, { ...(readMarker(handle.marker) ?? submitMarker(handle)), slurmId, confirmedAt: Date.now() });
  } catch {
    // The job is submitted whatever the marker says: squeue and the exit file find it too.
  }
}

export function readMarker(file: string): SubmitMarker | undefined {
  try {
    const parsed = MarkerSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The run's end as its wrapper recorded it ("<code> <epoch ms>"), or undefined when there is none yet. */
export function readExitFile(file: string): RunExit | undefined {
  let text: string;
  let mtime: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const match = /^(\d+)(?:\s+(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  const exitCode = Number(match[1]);
  const finishedAt = match[2] ? Number(match[2]) : mtime;
  const signal = signalFromShellCode(exitCode);
  return signal ? { kind: 'signalled', signal, exitCode, finishedAt } : { kind: 'exited', exitCode, finishedAt };
}

/**
 * The batch script: fixed text, never built from a command (the command, its shell and the exit
 * file arrive as ARGUMENTS, so nothing the user typed is ever parsed by a shell we write). The
 * command runs in the foreground, so it keeps the default response to SIGINT (a background child of
 * a non-interactive shell would ignore it). Slurm signals every process of the job itself (cancel,
 * `scancel --signal … --full`): the wrapper passes nothing on (the child would get each signal
 * twice), it only traps TERM and INT so that it outlives its child and records the child's status.
 */
export const WRAPPER_SCRIPT = `#!/bin/sh
# Job Queue's Slurm wrapper (written by the extension, the same for every job).
# Arguments: <shell> <command line> <exit file> [array]. In an array, each task records its own status.
shell=$1; command=$2; exit_file=$3
[ -n "$shell" ] || shell=/bin/sh
[ "$4" = array ] && exit_file="$exit_file.$SLURM_ARRAY_TASK_ID"
# Slurm sends its signals to the command too: here they only must not end the wrapper first.
trap ':' TERM INT
"$shell" -c "$command" </dev/null
code=$?
tmp="$exit_file.tmp.$$"
printf '%s %s\\n' "$code" "$(date +%s%3N)" >"$tmp" && mv -f "$tmp" "$exit_file"
exit "$code"
`;

/** Writes the wrapper into `dir` unless it is there with this content; returns its path. */
export function ensureWrapper(dir: string): string {
  const file = path.join(dir, 'slurm-wrapper.sh');
  try {
    if (fs.readFileSync(file, 'utf8') === WRAPPER_SCRIPT) return file;
  } catch {
    // not there yet
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, WRAPPER_SCRIPT, { mode: 0o755 });
  fs.renameSync(tmp, file);
  return file;
}
