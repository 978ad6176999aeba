// Turning the words a shell already split (`jobq add -- echo "a b"` gives `echo`, `a b`) back into
// one command line that the job's shell splits the same way: each word is quoted for POSIX sh
// (single quotes; a quote inside becomes '\''), or for cmd.exe on Windows.

/** Characters that never need quoting in sh. */
const PLAIN_POSIX = /^[\w@%+=:,./-]+$/;

export function quotePosix(word: string): string {
  if (PLAIN_POSIX.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** cmd.exe: a word with spaces or specials in double quotes (an inner quote doubled, as cmd reads it). */
export function quoteWindows(word: string): string {
  if (word !== '' && !/[\s"&|<>^%()]/.test(word)) return word;
  return `"${word.replace(/"/g, '""')}"`;
}

export function joinCommand(words: readonly string[], platform: NodeJS.Platform = process.platform): string {
  return words.map(platform === 'win32' ? quoteWindows : quotePosix).join(' ');
}
