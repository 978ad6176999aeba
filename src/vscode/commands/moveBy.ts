import type { Job } from '../../core';
import type { CommandContext } from './shared';

/** Moves a queued job `delta` places (the engine refuses anything not queued); returns its new 1-based position. */
export function moveBy(ctx: CommandContext, job: Job, delta: number): number | undefined {
  const position = ctx.service.getQueuePosition(job.id);
  ctx.service.moveJob(job.id, Math.max(0, (position ?? 1) - 1 + delta));
  return ctx.service.getQueuePosition(job.id);
}
