/** What a bench part gets and gives back. One file per part, registered in ./parts. */

export interface BenchOptions {
  /** Concurrent connections (virtual users) per target. */
  connections: number;
  /** Measured seconds per target. */
  durationS: number;
  /** Unmeasured seconds per target first, so every target is measured warm. */
  warmupS: number;
  /** Every `--name value` flag as given, for part-specific options (e.g. `--targets`). */
  flags: Readonly<Record<string, string>>;
  /** Progress for people: goes to stderr, never into the JSON on stdout. */
  log(message: string): void;
}

export interface BenchPart {
  name: string;
  description: string;
  /** A JSON-serialisable report. Stops every process it started, also when it throws. */
  run(options: BenchOptions): Promise<Record<string, unknown>>;
}

/** One target's figures under load. */
export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 200 answers whose text is not the screen expected at that hop. */
  wrongScreens: number;
  wrongScreensByHop: number[];
  /** Register sessions started (hop 1 sent). */
  sessions: number;
  /** Up to three wrong answers as received, to see what went wrong. */
  wrongSamples: Array<{ hop: number; status: number; body: string }>;
}
