// Types for the parts of gen-profile.mjs that tests use.
export interface ProfileParams {
  samples: number;
  functions: number;
  seed: number;
}
/** A synthetic heap profile laid out as runtime/pprof writes it: the raw (uncompressed) protobuf bytes. */
export function generateProfile(params: ProfileParams): { bytes: Uint8Array; stats: Record<string, number> };
export const LARGE_PROFILE: string;
export const SMALL_PROFILE: string;
export const LARGE_PARAMS: ProfileParams;
export const SMALL_PARAMS: ProfileParams;
