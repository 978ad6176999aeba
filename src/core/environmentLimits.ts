// What an environment recorded with a job may hold: only what a process can be given and what the
// queue's JSON files can replay exactly. Anything else is refused with a sentence naming the
// variable, never stored half-way or changed on the way (a value cut short, a byte replaced).

/**
 * One `NAME=value` string, in bytes: Linux refuses to start a process with a longer one
 * (MAX_ARG_STRLEN, 32 pages, including the NUL), whatever the total room.
 */
export const MAX_VARIABLE_BYTES = 128 * 1024 - 1;
/**
 * Every `NAME=value` of one job, in bytes: half of Linux's usual room for a new process's arguments
 * and environment together (ARG_MAX, 2 MiB), leaving the other half for the command line.
 */
export const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

// A lone UTF-16 surrogate cannot be written as UTF-8: it would reach the process as U+FFFD. Every
// history line validates its job's environment again, so the common case (ASCII) is kept cheap.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Anything but printable ASCII, tab and line breaks takes the exact (slower) path.
const NON_ASCII = /[^\t\n\r -~]/;

function hasLoneSurrogate(text: string): boolean {
  return NON_ASCII.test(text) && LONE_SURROGATE.test(text);
}

/** Why `vars` cannot be recorded, in a sentence; undefined when it can. */
export function environmentProblem(vars: Readonly<Record<string, string>>): string | undefined {
  let total = 0;
  for (const [name, value] of Object.entries(vars)) {
    const shown = name.slice(0, 60);
    if (name.length === 0) return 'a variable has an empty name';
    if (name.includes('=') || name.includes('\0')) return `the variable name “${shown.replace(/\0/g, '\\0')}” contains = or a NUL byte`;
    if (value.includes('\0')) return `the value of ${shown} contains a NUL byte, which no process can be given`;
    if (hasLoneSurrogate(name) || hasLoneSurrogate(value)) return `${shown} is not valid Unicode text, so it cannot be replayed exactly`;
    const bytes = utf8Length(name) + 1 + utf8Length(value);
    if (bytes > MAX_VARIABLE_BYTES) {
      return `${shown} is ${bytes.toLocaleString('en-US')} bytes; one variable can hold at most ${MAX_VARIABLE_BYTES.toLocaleString('en-US')} bytes (the system's limit for one variable)`;
    }
    total += bytes + 1;
  }
  if (total > MAX_ENVIRONMENT_BYTES) {
    return `the environment is ${total.toLocaleString('en-US')} bytes; a job's environment can hold at most ${MAX_ENVIRONMENT_BYTES.toLocaleString('en-US')} bytes`;
  }
  return undefined;
}

/** Bytes of `text` as UTF-8 (well-formed: lone surrogates are refused above); no Buffer, the webview shares this module. */
function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4; // a surrogate pair: one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}
