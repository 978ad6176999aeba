import * as vscode from 'vscode';
import { jobName } from '../tree/jobPresentation';
import { jobCommand, refuse } from './shared';

/** Show in Slurm: what Slurm itself says of a running job (`scontrol show job`), in a read-only editor. */
export const showInSlurm = jobCommand('jobQueue.showInSlurm', {
  placeHolder: 'Show which Slurm job?',
  action: 'showInSlurm',
  async run(ctx, { job }) {
    let text: string | undefined;
    try {
      text = await ctx.service.describeRun(job.id);
    } catch (error) {
      return refuse(`Slurm did not answer for ${jobName(job)}: ${(error as Error).message}`);
    }
    if (text === undefined) return refuse(`${jobName(job)} is not running on Slurm now.`);
    const document = await vscode.workspace.openTextDocument({ content: `# ${jobName(job)} — scontrol show job\n\n${text}`, language: 'properties' });
    await vscode.window.showTextDocument(document, { preview: true });
    return document.uri.toString();
  },
});
