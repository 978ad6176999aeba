// The bundle's entry (dist/cli.js), run by the `jobq` shim the extension writes: the real process as
// the command's Io. The exit code is set, not forced, so stdout is flushed to a pipe first.
import { main } from './main';

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  parentPid: process.ppid,
}).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`jobq: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
