/** The options of `demo` as commander hands them over. */
export interface DemoOptions {
  /** Parsed by commander; absent: a free port. */
  port?: number;
  format?: 'pretty' | 'plain';
  interval?: string;
  /** From the program's `--no-color`. */
  color: boolean;
}
