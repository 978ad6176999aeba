// What the terminal command reads from and writes to, in one object: the real process in the
// bundle (jobq.ts), a recorder in tests, so every command runs in-process too.
export interface Io {
  out(text: string | Uint8Array): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The shell (or script) that ran the command: kept on the job's source. */
  parentPid: number;
}
