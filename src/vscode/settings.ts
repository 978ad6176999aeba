// `jobQueue.*` settings, read in one place and mapped onto the engine's options.
import * as vscode from 'vscode';
import { InterruptedPolicySchema, defaultShell, type ConfigurableOptions } from '../core';

export type NotificationLevel = 'all' | 'failures' | 'none';

export interface Settings {
  engine: ConfigurableOptions;
  notifications: NotificationLevel;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('jobQueue');
  const policy = InterruptedPolicySchema.safeParse(config.get('interruptedJobs'));
  const notifications = config.get<string>('notifications');
  const shell = config.get<string>('shell')?.trim();
  return {
    engine: {
      maxParallelJobs: Math.max(1, Math.floor(config.get<number>('maxParallelJobs') ?? 1)),
      cancelGraceMs: Math.max(0, (config.get<number>('cancelGracePeriodSeconds') ?? 5) * 1000),
      interruptedPolicy: policy.success ? policy.data : 'requeueAndPause',
      historyLimit: Math.max(10, Math.floor(config.get<number>('historyLimit') ?? 5000)),
      shell: shell || defaultShell(),
    },
    notifications: notifications === 'failures' || notifications === 'none' ? notifications : 'all',
  };
}

export function onDidChangeSettings(listener: (settings: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('jobQueue')) listener(readSettings());
  });
}
