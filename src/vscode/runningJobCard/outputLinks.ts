// `file:line[:col]` references in job output, and the card's table of the ones it made links. The
// webview is untrusted: it only ever names a link by the id the host gave it, and the host opens
// the target it resolved and recorded itself — never a path the webview sent. No `vscode` import:
// the file check is injected, so this is unit-tested in plain Node.
import * as path from 'node:path';

/** A reference found in a line of text: `text.slice(start, end)` is `file:line[:col]`. */
export interface LinkCandidate {
  start: number;
  end: number;
  file: string;
  line: number;
  column?: number;
}

/** Where a link leads: an existing file (absolute path), a 1-based line and column. */
export interface LinkTarget {
  file: string;
  line: number;
  column?: number;
}

// A path (optionally a drive, a leading / or ./, folders) ending in a name with an extension, then
// :line and optionally :col. Not preceded by a path character, so `a/b.ts:1` is not found twice.
const REFERENCE = /(?<![\w./\\~@+-])((?:[A-Za-z]:)?(?:~?[\\/])?(?:[\w.@~+-]+[\\/])*[\w@~+-][\w.@~+-]*\.[A-Za-z0-9]+):(\d+)(?::(\d+))?(?!\d)/g;
/** At most this many references per line are looked up (a line of a minified file is not a list of links). */
const MAX_PER_LINE = 8;

export function findReferences(text: string): LinkCandidate[] {
  const found: LinkCandidate[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const line = Number(match[2]);
    const column = match[3] === undefined ? undefined : Number(match[3]);
    if (line < 1 || (column !== undefined && column < 1)) continue;
    found.push({ start: match.index, end: match.index + match[0].length, file: match[1]!, line, ...(column !== undefined ? { column } : {}) });
    if (found.length === MAX_PER_LINE) break;
  }
  return found;
}

/**
 * The file a reference names: an absolute path as it is, else the first of `bases` (the job's
 * working folder, then the workspace folders) under which it exists as a file. Undefined: it stays text.
 */
export async function resolveReference(file: string, bases: readonly string[], isFile: (absolute: string) => Promise<boolean>): Promise<string | undefined> {
  const candidates = path.isAbsolute(file) ? [file] : bases.map((base) => path.resolve(base, file));
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return undefined;
}

/** A link the card was given: on which run's output it is, and where it leads. */
export interface ShownLink {
  jobId: string;
  attempt: number;
  target: LinkTarget;
}

/**
 * The links the host has put on the card, by id. The same target on the same run keeps its id
 * across updates (a link under the pointer stays the same link while output streams). Bounded: the
 * oldest are forgotten first, and a click on one of those is refused, not guessed.
 */
export class LinkTable {
  private nextId = 0;
  private readonly byId = new Map<number, ShownLink>();
  private readonly byKey = new Map<string, number>();

  constructor(private readonly capacity = 2000) {}

  idFor(link: ShownLink): number {
    const key = keyOf(link);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.nextId++;
    this.byId.set(id, link);
    this.byKey.set(key, id);
    if (this.byId.size > this.capacity) {
      const [oldest] = this.byId.keys();
      const forgotten = this.byId.get(oldest!)!;
      this.byId.delete(oldest!);
      this.byKey.delete(keyOf(forgotten));
    }
    return id;
  }

  /** The link with this id, if it is one the card was given for that run. */
  get(id: number, jobId: string, attempt: number): ShownLink | undefined {
    const link = this.byId.get(id);
    return link && link.jobId === jobId && link.attempt === attempt ? link : undefined;
  }
}

function keyOf(link: ShownLink): string {
  return JSON.stringify([link.jobId, link.attempt, link.target.file, link.target.line, link.target.column ?? 0]);
}
