// Small typed errors with a stage prefix. A known error (AdvisorError) is
// printed as one line by the CLI and exits 2; anything else keeps its stack.

export type Stage =
  | 'usage'
  | 'reading profile'
  | 'decompressing profile'
  | 'parsing profile'
  | 'invalid profile'
  | 'fetching profile'
  | 'ranking'
  | 'escape analysis'
  | 'source'
  | 'git'
  | 'writing output';

export class AdvisorError extends Error {
  readonly stage: Stage;
  constructor(stage: Stage, message: string) {
    super(message);
    this.name = 'AdvisorError';
    this.stage = stage;
  }
  /** The one line the CLI prints: "advisor: <stage>: <message>". */
  line(): string {
    return `${this.stage}: ${this.message}`;
  }
}

export function isAdvisorError(e: unknown): e is AdvisorError {
  return e instanceof AdvisorError;
}
