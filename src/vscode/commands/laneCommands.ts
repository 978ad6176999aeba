// Pause Lane / Resume Lane: a lane's own pause (nothing new starts in it; its running jobs keep
// running; the other lanes go on). From a lane's group in the Jobs view (its inline button or
// context menu), with a lane name (tests, keybindings), or from the palette with a lane picker.
// In a window that follows another, asked of the window that runs the queue.
import * as vscode from 'vscode';
import { isLaneNode } from '../tree/nodes';
import { refuse } from '../refusals';
import { changeQueue } from './forwardToOwner';
import type { CommandDefinition } from './shared';
import { laneItems } from './waitChoices';

function laneCommand(id: string, paused: boolean): CommandDefinition {
  const verb = paused ? 'Pause' : 'Resume';
  return {
    id,
    async run(ctx, arg?: unknown): Promise<boolean | undefined> {
      let name = isLaneNode(arg) ? arg.lane : typeof arg === 'string' ? arg : undefined;
      if (name === undefined) {
        // The palette: the lanes this would change (a paused lane is not paused again).
        const lanes = ctx.service.getSnapshot().lanes.filter((lane) => lane.paused !== paused);
        if (lanes.length === 0) return refuse(paused ? 'Every lane is paused already.' : 'No lane is paused.');
        const picked = await vscode.window.showQuickPick(laneItems(lanes), { placeHolder: `${verb} which lane?` });
        if (!picked) return undefined;
        name = picked.value;
      }
      // The engine refuses a lane that is not configured, naming the ones that are; in a window that
      // follows another, the owner does it (and refuses in its own words).
      const lane = name;
      await changeQueue(ctx.service, { kind: paused ? 'pauseLane' : 'resumeLane', lane }, () => ctx.service.setLanePaused(lane, paused));
      return paused;
    },
  };
}

export const pauseLane = laneCommand('jobQueue.pauseLane', true);
export const resumeLane = laneCommand('jobQueue.resumeLane', false);
