// A bad argument: main() prints it with a hint and exits 2, having written nothing.
export class UsageError extends Error {}
