// The POSIX wrapper: the `/bin/sh` process that leads a job's session and process group, runs the
// command as its child, and appends how it ended to the exit journal, so a later host (or none at
// all) can learn the exit status of any command:
//
//   - The command always runs as a CHILD shell (`"$shell" -c "$command"`), never inside the
//     wrapper: a command that does `exec …`, sets its own `trap … EXIT`, or `kill $$` cannot take
//     the wrapper's bookkeeping with it.
//   - The wrapper catches HUP INT QUIT ALRM TERM USR1 USR2 with a handler that does nothing, so a
//     command that signals its whole group (`kill -TERM 0`) or a Cancel (SIGTERM to the group)
//     ends the command but not the wrapper, which then records the command's status (128+N for
//     death by signal N). The signals are caught, not ignored: an ignored signal would be inherited
//     by the command across exec; a caught one is reset to its default there.
//   - The child runs in the foreground, not with `&` + `wait`: sh makes an asynchronous command
//     ignore SIGINT and SIGQUIT when job control is off, which would break Ctrl-C-style handling in
//     the command. A foreground wait is not cut short by a caught signal (sh runs the handler once
//     the child has ended), so the wrapper needs no wait loop.
//   - It waits at a gate (stdin) until the host has made the run's `starting` record durable:
//     record before you act, with the process already made (spawning and syncing overlap).
//   - Before running the command it appends `<key> started`: proof that this run's command was
//     started, for a host that has to find a run whose start it did not see confirmed.
//   - Only SIGKILL (or a machine stop) ends the wrapper without a record; the host that sent the
//     SIGKILL knows why, and a host that did not calls that run interrupted.
//
// The script is one line (argv shows up whole in `ps`), and its arguments come in a fixed order so
// the runner can recognise a wrapper by its argv: `job-queue-run <key> <journal> <shell> <command>`.
export const WRAPPER_MARKER = 'job-queue-run';

export const POSIX_WRAPPER = [
  'trap : HUP INT QUIT ALRM TERM USR1 USR2',
  // The gate: nothing happens until the host says `go` on stdin, which it does once the run's
  // `starting` record is on the disk. End of input (the host died first, or dropped the run) or a
  // signal (a cancel meanwhile) ends the wrapper before its command begins, recording nothing.
  'IFS= read -r jq_go; [ "$jq_go" = go ] || exit 0',
  'exec 0</dev/null',
  // The wrapper's own stderr goes nowhere (sh would print "Terminated" into the log after a
  // cancel); the command gets the log as its stderr, and nothing else extra (fd 3 is closed).
  'exec 3>&2 2>/dev/null',
  'jq_key=$1 jq_journal=$2 jq_shell=${3:-/bin/sh} jq_command=$4',
  `printf '%s started\\n' "$jq_key" >> "$jq_journal"`,
  // A subshell that execs: its redirections apply in the child only (dash would otherwise apply
  // them to the wrapper while it waits), and it costs the same one fork as a plain command.
  '(exec "$jq_shell" -c "$jq_command" 2>&3 3>&-)',
  'jq_code=$?',
  `printf '%s %s\\n' "$jq_key" "$jq_code" >> "$jq_journal"`,
  'exit "$jq_code"',
].join('; ');

/** The argv after `/bin/sh`: what start() spawns. */
export function wrapperArgs(shell: string, command: string, exitKey: string, exitJournal: string): string[] {
  return ['-c', POSIX_WRAPPER, WRAPPER_MARKER, exitKey, exitJournal, shell, command];
}

/**
 * Whether `argv` (a process's full argument list) is the wrapper of run `exitKey` logging to
 * `exitJournal`. The script itself is not compared, so a wrapper started by an older version of
 * the extension with the same argument layout is still recognised.
 */
export function isWrapperArgv(argv: readonly string[], exitKey: string, exitJournal: string): boolean {
  return argv.length >= 8 && argv[1] === '-c' && argv[3] === WRAPPER_MARKER && argv[4] === exitKey && argv[5] === exitJournal;
}

/** The same test on a `ps` command column (macOS), where the arguments are joined by spaces. */
export function isWrapperCommandLine(commandLine: string, exitKey: string, exitJournal: string): boolean {
  return commandLine.includes(` ${WRAPPER_MARKER} ${exitKey} ${exitJournal} `);
}
