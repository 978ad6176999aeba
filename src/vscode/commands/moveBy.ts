import type { JobRow } from '../tree/capabilities';
import { performRowAction } from './rowActions';
import type { CommandContext } from './shared';

/** Moves a queued job `delta` places (refused for anything not queued); returns its new 1-based position. */
export async function moveBy(ctx: CommandContext, row: JobRow, delta: number): Promise<number | undefined> {
  const position = ctx.service.getQueuePosition(row.job.id);
  return (await performRowAction(ctx.service, 'move', row, { toIndex: Math.max(0, (position ?? 1) - 1 + delta) })) as number | undefined;
}
