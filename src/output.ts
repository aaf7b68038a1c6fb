// Writing the rendered report: to stdout, or to a file replaced atomically
// (written beside it, then renamed) so a reader never sees half a report.
//
// - The temporary file is removed however the write ends: on an error, and
//   on SIGINT or SIGTERM from before it is created until it is renamed
//   (advisor then exits by that signal). SIGKILL cannot be handled.
// - An existing file keeps its permission bits (a 0600 report stays 0600).
// - A symbolic link is written through: the file it points to is replaced
//   and the link stays, as `>` in a shell does.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { chmod, lstat, readlink, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AdvisorError } from './errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The file a write to `file` replaces: `file` itself, or where its symbolic links lead. */
async function writeTarget(file: string): Promise<string> {
  let target = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await lstat(target);
    } catch {
      return target; // Not there yet (or a dangling link's end): created.
    }
    if (!st.isSymbolicLink()) return target;
    try {
      return await realpath(target);
    } catch {
      // A dangling link: follow it by hand to the file it names.
      target = path.resolve(path.dirname(target), await readlink(target));
    }
  }
  throw new AdvisorError('writing output', `${file}: too many levels of symbolic links`);
}

export async function writeOutput(file: string | undefined, text: string): Promise<void> {
  if (!file || file === '-') {
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, (e) => (e ? reject(e) : resolve()));
    });
    return;
  }
  const target = await writeTarget(file);
  const dir = path.dirname(target);
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw new AdvisorError('writing output', `${file}: ${dir} is not a directory`);
  } catch (e) {
    if (e instanceof AdvisorError) throw e;
    throw new AdvisorError('writing output', `${file}: the folder ${dir} does not exist`);
  }
  let mode: number | null = null;
  try {
    const st = await stat(target);
    if (st.isFile()) mode = st.mode & 0o7777;
  } catch {
    // A new file: the umask decides, as for any new file.
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // Installed before the file exists and kept until it is renamed: a signal
  // at any point in between removes it, then ends advisor by that signal.
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    try {
      unlinkSync(tmp);
    } catch {
      // Not created yet, or already renamed.
    }
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    // Created private, so a 0600 report is never readable by others, even briefly.
    await writeFile(tmp, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    await chmod(tmp, mode ?? 0o666 & ~currentUmask());
    // Another SIGINT listener can keep the process alive past the signal:
    // the write it interrupted is not finished by a rename.
    if (interrupted) throw Object.assign(new Error(`interrupted by ${interrupted}`), { code: 'EINTR' });
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    const err = e as NodeJS.ErrnoException;
    throw new AdvisorError('writing output', `${file}: ${err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  } finally {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}

function currentUmask(): number {
  // process.umask() without an argument is deprecated but is the only read;
  // set-and-restore is racy with workers. 0o022 when unavailable.
  try {
    return process.umask();
  } catch {
    return 0o022;
  }
}
