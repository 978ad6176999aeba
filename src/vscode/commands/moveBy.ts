import type { JobRow } from '../tree/capabilities';
import { performRowAction } from './rowActions';
import type { CommandContext } from './shared';

/** Moves a queued job `delta` places (refused for anything not queued); returns its new 1-based position. */
export function moveBy(ctx: CommandContext, row: JobRow, delta: number): number | undefined {
  const position = ctx.service.getQueuePosition(row.job.id);
  return performRowAction(ctx.service, 'move', row, { toIndex: Math.max(0, (position ?? 1) - 1 + delta) }) as number | undefined;
}
