// Writing the rendered report: to stdout, or to a file replaced atomically
// (written beside it, then renamed) so a reader never sees half a report.
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AdvisorError } from './errors.js';

export async function writeOutput(file: string | undefined, text: string): Promise<void> {
  if (!file || file === '-') {
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, (e) => (e ? reject(e) : resolve()));
    });
    return;
  }
  const dir = path.dirname(path.resolve(file));
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw new AdvisorError('writing output', `${file}: ${dir} is not a directory`);
  } catch (e) {
    if (e instanceof AdvisorError) throw e;
    throw new AdvisorError('writing output', `${file}: the folder ${dir} does not exist`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text.endsWith('\n') ? text : `${text}\n`);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    const err = e as NodeJS.ErrnoException;
    throw new AdvisorError('writing output', `${file}: ${err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  }
}
