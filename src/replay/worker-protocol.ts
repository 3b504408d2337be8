/** Messages between the tool and the child process that runs the handler. */

/** The context fields that do not change between invocations of one function. */
export interface StaticContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

export interface FunctionErrorBody {
  errorType: string;
  errorMessage: string;
  stack?: string;
}

export type ToWorker =
  | { type: 'load'; modulePath: string; exportName?: string; display: string }
  /**
   * `payload` is the event as JSON: parsed in the worker, so the handler gets its own copy. An
   * invocation that arrives while another runs waits for it; its `timeoutMs` counts from its start.
   */
  | { type: 'invoke'; requestId: string; payload: string; timeoutMs: number; context: StaticContext };

export type LoadFailure = 'no-export' | 'not-function' | 'syntax' | 'import' | 'init';

export type FromWorker =
  | { type: 'ready'; arity: number }
  | { type: 'load-error'; kind: LoadFailure; message: string }
  /** `durationMs`: how long the handler ran, measured in the worker (Lambda's Duration). */
  | { type: 'result'; requestId: string; durationMs: number; ok: true; payload: string | undefined }
  | { type: 'result'; requestId: string; durationMs: number; ok: false; error: FunctionErrorBody }
  /** The handler's process is about to die: an uncaught exception or an unhandled rejection. */
  | { type: 'crash'; requestId?: string; error: FunctionErrorBody };
