// Output of the ranking stage: flat/cum rows exactly as `go tool pprof -top`
// counts them, and user-code allocation sites for the advice engine.
import type { ValueType } from '../profile/model.js';

export interface SampleIndexChoice {
  index: number;
  sampleType: ValueType;
  /** The matching objects/space type (alloc_objects for alloc_space, ...), if any. */
  companionIndex: number | null;
  companionType: ValueType | null;
  /** How the index was chosen: the --sample-index flag, alloc_space preference, default_sample_type, or the last type. */
  reason: 'flag' | 'alloc_space' | 'default' | 'last';
}

export interface Row {
  /** Function name (pprof's node name). */
  name: string;
  /** Source file; '' for function rows (pprof aggregates functions by name). */
  file: string;
  /** Source line; 0 for function rows. */
  line: number;
  flat: number;
  cum: number;
  /** The companion value (objects for a space index, space for an objects index); 0 when there is none. */
  flatCompanion: number;
  cumCompanion: number;
  /** pprof's "(inline)" / "(partial-inline)" marker. */
  inline: 'inline' | 'partial-inline' | null;
}

export interface Frame {
  function: string;
  file: string;
  line: number;
}

export interface AllocatedBy {
  /** The leaf frame: the function that called the allocator. */
  function: string;
  /** The frame directly below the site (the API the user's code called), when it differs from the leaf. */
  via: string | null;
  value: number;
  /** The companion value (objects for a space index) of the same samples; 0 without a companion. */
  companion: number;
  /** Share of this site's value. */
  share: number;
}

export interface Site {
  /** The first user-code frame from the leaf: what a team can change. */
  function: string;
  file: string;
  line: number;
  /** The site function's start line (Function.start_line; 0 when the profile lacks it). */
  functionStartLine: number;
  /**
   * When the site's frame was inlined, the physical caller's frame: the last
   * Line of the location. The compiler reports inlined allocations there
   * (reference §10.4). Null when the frame was not inlined.
   */
  callSite: Frame | null;
  /** Value at the chosen sample index of the samples whose site this is. */
  flat: number;
  /** Companion value (objects for a space index). */
  flatCompanion: number;
  /** Cum of this line over all samples (pprof -lines cum). */
  cum: number;
  /** Frames below the site that actually allocated (fmt.Sprintf, ...), largest first. */
  allocatedBy: AllocatedBy[];
  /** True when no frame of the stack is user code, so the site is the leaf itself. */
  userCode: boolean;
  /** Number of samples attributed to this site. */
  samples: number;
  /** Largest single sample's value (to flag one-off allocations). */
  maxSampleValue: number;
}

export interface Ranking {
  choice: SampleIndexChoice;
  total: number;
  companionTotal: number;
  functions: Row[];
  /** By line (pprof -top -lines); made on first access. */
  readonly lines: Row[];
  sites: Site[];
}
