/** What a session's read worker is started with. */
export interface ReaderConfig {
  dbFile: string;
  /** Where exports go when the request names no file. */
  exportsDir: string;
}
