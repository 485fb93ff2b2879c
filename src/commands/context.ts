/** What every command gets from the global flags (design §7). */
export interface GlobalFlags {
  json: boolean;
  out?: string;
  seed?: number;
  region?: string;
  quiet: boolean;
  color: boolean;
  debug: boolean;
}

/** Where commands write: stdout for results, stderr for progress and warnings. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
