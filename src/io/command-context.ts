/** What a command needs from the process, passed in so commands stay testable and never exit. */
export interface CommandContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: commands finish the line in hand, save state and return. */
  signal: AbortSignal;
  debug: boolean;
}
