/** A run named by its id and attempt (and end): a notification's or another extension's reference. */
export interface RunRef { id: string; attempt: number; finishedAt?: number }
