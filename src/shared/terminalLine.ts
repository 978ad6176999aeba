// A line of job output as a terminal shows it: runs of text, each with the attributes the job's
// escape codes gave it (SGR colours, bold, dim, italic, underline, inverse, strikethrough). Computed
// on the host by terminalScreen.ts (VS Code's own terminal engine); the card only draws it, so
// the webview carries no terminal emulator. Schemas only, no DOM and no Node: imported by both sides.
import * as z from 'zod/mini';

/**
 * A colour as the job asked for it. `palette` 0–15 are the theme's ANSI colours (the card maps them
 * to `--vscode-terminal-ansi*`), 16–255 the fixed xterm cube and greys; `rgb` a 24-bit colour.
 */
export const TerminalColorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('palette'), index: z.int().check(z.minimum(0), z.maximum(255)) }),
  z.object({ kind: z.literal('rgb'), rgb: z.int().check(z.minimum(0), z.maximum(0xffffff)) }),
]);
export type TerminalColor = z.infer<typeof TerminalColorSchema>;

/** The attributes of a run. Absent means the terminal's default (no colour, not bold…). */
export const TextStyleSchema = z.object({
  fg: z.optional(TerminalColorSchema),
  bg: z.optional(TerminalColorSchema),
  bold: z.optional(z.boolean()),
  dim: z.optional(z.boolean()),
  italic: z.optional(z.boolean()),
  underline: z.optional(z.boolean()),
  inverse: z.optional(z.boolean()),
  strikethrough: z.optional(z.boolean()),
});
export type TextStyle = z.infer<typeof TextStyleSchema>;

export const StyledRunSchema = z.object({
  text: z.string(),
  style: z.optional(TextStyleSchema),
});
export type StyledRun = z.infer<typeof StyledRunSchema>;

/** One line of the screen, left to right. */
export type StyledLine = StyledRun[];

/** What a line says, without its attributes. */
export function plainText(line: readonly { text: string }[]): string {
  return line.map((run) => run.text).join('');
}

