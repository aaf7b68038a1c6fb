// Types for the part of gen-profile.mjs that tests use (test/stream.test.ts).
export interface ProfileParams {
  samples: number;
  functions: number;
  seed: number;
}
/** A synthetic heap profile laid out as runtime/pprof writes it: the raw (uncompressed) protobuf bytes. */
export function generateProfile(params: ProfileParams): { bytes: Uint8Array; stats: Record<string, number> };
