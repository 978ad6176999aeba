// `jobQueue.env` and `jobQueue.envFile` for jobs added in the UI, resolved as launch.json resolves
// its own `env` and `envFile`: `${workspaceFolder}`, `${env:NAME}`, `${userHome}`… in both, a
// relative file against the workspace folder, the file read with dotenv's parser, and `env` over
// the file. Anything that cannot be used refuses the add with a sentence naming the setting: a job
// that silently runs without its variables is worse than one not queued. No vscode import.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { environmentProblem } from '../core/environmentLimits';
import { resolveAll, type VariableContext } from './commands/taskVariables';

/** The two settings as they are written (EnvironmentSettings in settings.ts reads them). */
export interface EnvironmentSettingsInput {
  env: unknown;
  envFile: unknown;
}

export type SettingsEnvironment = { kind: 'vars'; vars: Record<string, string> } | { kind: 'refused'; message: string };

export async function settingsEnvironment(input: EnvironmentSettingsInput, ctx: VariableContext): Promise<SettingsEnvironment> {
  const env = envSetting(input.env);
  if (typeof env === 'string') return { kind: 'refused', message: env };
  const file = typeof input.envFile === 'string' && input.envFile.trim() !== '' ? await envFileSetting(input.envFile.trim(), ctx) : {};
  if (typeof file === 'string') return { kind: 'refused', message: file };
  const resolved = resolveAll(env, ctx);
  if (!resolved.ok) return { kind: 'refused', message: `jobQueue.env: ${resolved.unresolved.map((u) => `${u.variable} ${u.reason}`).join('; ')}.` };
  const vars = { ...file, ...resolved.value };
  const problem = environmentProblem(vars);
  return problem ? { kind: 'refused', message: `jobQueue.env / jobQueue.envFile: ${problem}.` } : { kind: 'vars', vars };
}

/** The object of variables, or why it is not one. */
function envSetting(value: unknown): Record<string, string> | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return 'jobQueue.env must be an object of variables, like { "MY_VAR": "value" }.';
  const notText = Object.entries(value).filter(([, v]) => typeof v !== 'string').map(([name]) => name);
  if (notText.length > 0) return `jobQueue.env: the value of ${notText.slice(0, 5).join(', ')} must be text (in quotes).`;
  return value as Record<string, string>;
}

/** The variables of the dotenv file, or why it cannot be read. */
async function envFileSetting(setting: string, ctx: VariableContext): Promise<Record<string, string> | string> {
  const resolved = resolveAll(setting, ctx);
  if (!resolved.ok) return `jobQueue.envFile: ${resolved.unresolved.map((u) => `${u.variable} ${u.reason}`).join('; ')}.`;
  const file = path.resolve(ctx.folder?.path ?? ctx.cwd, resolved.value);
  try {
    return parseDotenv(await fs.promises.readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `jobQueue.envFile: there is no file ${file}.` : `jobQueue.envFile: could not read ${file} (${code ?? String(error)}).`;
  }
}
