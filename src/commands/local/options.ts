/** The options of `local` as commander hands them over. */
export interface LocalOptions {
  port: number;
  dbPath?: string;
}
