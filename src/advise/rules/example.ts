// How a rule's Before/After snippets are proved against the installed Go
// (src/advise/rules/examples.test.ts). The snippets stay exactly what the
// reports and the README show; this says what they need to compile and what
// the compiler or the allocator must show for them.

/** What one side (Before or After) needs beyond the shared part. */
export interface ExampleSide {
  /** Import paths this side's file uses; replaces the shared list. */
  imports?: string[];
  /** Go declarations only this side needs (added to the shared ones). */
  decls?: string;
  /** Go statements that run this side once, for testing.AllocsPerRun; replaces the shared one. */
  run?: string;
}

export interface RuleExample {
  /** Import paths both snippets (and their declarations) use. */
  imports?: string[];
  /** Go declarations the snippets use but do not show: types, helpers, the data `run` uses. */
  decls?: string;
  /** Go statements that run one side once, for testing.AllocsPerRun. */
  run?: string;
  before?: ExampleSide;
  after?: ExampleSide;
  /** For statement fragments: the function head and tail placed around each snippet. */
  wrap?: { head: string; tail: string };
  /** Packages the snippets import, by path inside the example module (`example.com/heavy` -> `heavy`): Go source. */
  packages?: Record<string, string>;
  /** The compiler message the Before shows (a regexp over one -m=2 message) on the Before line that contains `at`. */
  shows?: { message: string; at: string };
  /**
   * How the After is proved better:
   * - `escape-gone`: no line of the After shows the `shows` message;
   * - `fewer-allocs`: testing.AllocsPerRun of the After's `run` is lower than the Before's
   *   (growth, concatenation, channels, library calls: what escape output cannot show);
   * - `compiles`: the rule is illustrative; both sides only have to compile (`illustrative` says why).
   */
  proof: 'escape-gone' | 'fewer-allocs' | 'compiles';
  /** For `compiles`: why nothing more can be checked. */
  illustrative?: string;
}
