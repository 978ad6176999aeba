// A run's output as the card shows it: the raw tail through the terminal engine (colours, \r
// redraws, erased lines), then every `file:line[:col]` that names an existing file made a link the
// host records (outputLinks.ts). No `vscode` import: where to look for files and how to check one
// are injected, so this is unit-tested in plain Node with real files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job } from '../../core';
import { CARD_TAIL_LINES, type CardLine, type CardRun } from '../../shared/runningJobProtocol';
import { plainText, type StyledLine } from '../../shared/terminalLine';
import { renderTerminal } from '../../shared/terminalScreen';
import { findReferences, resolveReference, type LinkTable } from './outputLinks';

/** The run whose output it is: links are recorded for that run only. */
export type OutputRun = Pick<Job, 'id' | 'attempt'> & { spec: Pick<Job['spec'], 'cwd'> };

export interface OutputPlaces {
  /** The workspace folders' paths, in order. */
  folders(): readonly string[];
  /** Whether `absolute` is an existing regular file. */
  isFile(absolute: string): Promise<boolean>;
}

export const filesOnDisk = (folders: () => readonly string[]): OutputPlaces => ({
  folders,
  isFile: (absolute) => fs.promises.stat(absolute).then((s) => s.isFile(), () => false),
});

/** A span of a line that is a link: `[start, end)` in its text. */
interface LinkSpan {
  start: number;
  end: number;
  link: number;
}

export class CardOutput {
  constructor(private readonly links: LinkTable, private readonly places: OutputPlaces) {}

  /** Where a relative reference of this run is looked for: its working folder, then the workspace folders. */
  bases(run: OutputRun): string[] {
    const folders = this.places.folders();
    const cwd = run.spec.cwd;
    const own = cwd === undefined ? [] : path.isAbsolute(cwd) ? [cwd] : folders.slice(0, 1).map((f) => path.resolve(f, cwd));
    return [...new Set([...own, ...folders])];
  }

  /** The last lines of `tail` (the log's lines, \r redraws and escape codes still in them) as the card shows them. */
  async lines(run: OutputRun, tail: readonly string[]): Promise<CardLine[]> {
    const screen = await renderTerminal(tail.join('\n'), { maxLines: CARD_TAIL_LINES });
    const bases = this.bases(run);
    return Promise.all(screen.map((line) => this.withLinks(run, line, bases)));
  }

  private async withLinks(run: OutputRun, line: StyledLine, bases: readonly string[]): Promise<CardLine> {
    const spans: LinkSpan[] = [];
    for (const ref of findReferences(plainText(line))) {
      const file = await resolveReference(ref.file, bases, this.places.isFile);
      if (file === undefined) continue;
      const target = { file, line: ref.line, ...(ref.column !== undefined ? { column: ref.column } : {}) };
      spans.push({ start: ref.start, end: ref.end, link: this.links.idFor({ jobId: run.id, attempt: run.attempt, target }) });
    }
    return spans.length === 0 ? line : splitAtLinks(line, spans);
  }
}

/** The line's runs cut where links start and end; the runs inside a link carry its id. */
export function splitAtLinks(line: StyledLine, spans: readonly LinkSpan[]): CardLine {
  const out: CardRun[] = [];
  let offset = 0;
  for (const run of line) {
    const runEnd = offset + run.text.length;
    // The boundaries inside this run: where a link starts or ends.
    const cuts = [offset, ...spans.flatMap((s) => [s.start, s.end]).filter((c) => c > offset && c < runEnd), runEnd].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [from, to] = [cuts[i]!, cuts[i + 1]!];
      if (from === to) continue;
      const span = spans.find((s) => s.start <= from && to <= s.end);
      out.push({ ...run, text: run.text.slice(from - offset, to - offset), ...(span ? { link: span.link } : {}) });
    }
    offset = runEnd;
  }
  return out;
}
