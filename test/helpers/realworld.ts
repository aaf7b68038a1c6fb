// The real-world corpus the tests read: profiles, go tool pprof's outputs for
// them (oracle/) and damaged inputs (malformed/), copied into the repository
// from the team's shared corpus so a fresh clone tests with nothing beside it.
// MANIFEST.md there names each file's origin (repository, path, commit).
import path from 'node:path';

export const REALWORLD = path.resolve(__dirname, '..', 'fixtures', 'realworld');
export const REALWORLD_PROFILES = path.join(REALWORLD, 'profiles');
