// The commands layer: the only place that runs Slurm's programs. Always execFile with an argv (never
// a shell string), always with a timeout (a controller that hangs must not hang the host), never
// synchronously (a controller that is down makes squeue wait ~18 s: the editor's thread must not),
// and an interface so unit tests can fake a slow, missing or refusing controller.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SlurmProgram = 'sbatch' | 'squeue' | 'scancel' | 'scontrol' | 'sacct';

export interface CommandResult {
  /** Ran and exited 0. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Why it did not give an answer: not installed, or no answer in time. */
  failure?: 'missing' | 'timeout';
}

export interface SlurmCommands {
  run(program: SlurmProgram, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** The program's path on PATH, or undefined when it is not there. */
  find(program: SlurmProgram): string | undefined;
}

/** Slurm's own error text, without the program's `sbatch: error:` prefixes, on one line. */
export function slurmMessage(result: CommandResult): string {
  if (result.failure === 'missing') return 'the Slurm command was not found';
  if (result.failure === 'timeout') return 'the Slurm controller did not answer in time';
  const text = (result.stderr || result.stdout).split('\n')
    .map((l) => l.replace(/^\s*\w+:\s*(error|fatal):\s*/i, '').trim())
    .filter(Boolean);
  // sbatch says the general failure last ("Batch job submission failed: ..."), its cause first: keep the last.
  return text.at(-1) ?? 'no message';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The real commands, run with execFile. */
export function execFileCommands(timeoutMs: number): SlurmCommands {
  return {
    run(program, args, env) {
      return new Promise((resolve) => {
        try {
          execFile(program, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (!error) return resolve({ ok: true, stdout, stderr });
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') return resolve({ ok: false, stdout, stderr, failure: 'missing' });
            if (error.killed) return resolve({ ok: false, stdout, stderr, failure: 'timeout' });
            resolve({ ok: false, stdout, stderr });
          });
        } catch (error) {
          // An argument execFile refuses outright (a NUL byte): an answer like any other failure, never a throw.
          resolve({ ok: false, stdout: '', stderr: (error as Error).message });
        }
      });
    },
    find(program) {
      for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (dir && isExecutable(path.join(dir, program))) return path.join(dir, program);
      }
      return undefined;
    },
  };
}

/** `scontrol show job <id>`: Slurm's full account of a job, or a rejection saying why not. */
export async function showJob(commands: SlurmCommands, id: string): Promise<string> {
  const result = await commands.run('scontrol', ['show', 'job', id]);
  if (!result.ok) throw new Error(`scontrol show job ${id} failed: ${slurmMessage(result)}`);
  return result.stdout;
}
