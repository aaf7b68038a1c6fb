// Offline mode: saved `go build -gcflags=-m=2` output (plain text or
// `go build -json`), for machines without the module's dependencies or
// without Go at all.
import * as path from 'node:path';
import type { EscapeFinding, EscapeResult, PackageStatus } from './model.js';
import { parseEscapeOutputDetailed, type ParseOptions } from './parse.js';
import { findModule } from './paths.js';
import { pushAll } from '../arrays.js';

export interface LogOptions {
  /** The module the log was made from; paths in the log are resolved against it. */
  srcDir?: string;
}

export function readEscapeLogs(texts: { name: string; text: string }[], opts: LogOptions = {}): EscapeResult {
  const parseOpts: ParseOptions = {};
  const notes: string[] = [];
  if (opts.srcDir) {
    const src = path.resolve(opts.srcDir);
    const mod = findModule(src);
    // The log was most likely made at the module root; package directories
    // follow from import paths under the module path.
    parseOpts.moduleRoot = mod?.root ?? src;
    parseOpts.modulePath = mod?.path || undefined;
    parseOpts.cwd = mod?.root ?? src;
  }
  const findings: EscapeFinding[] = [];
  const packages: PackageStatus[] = [];
  const byPkg = new Map<string, PackageStatus>();
  let levelOne = true;
  for (const { name, text } of texts) {
    const r = parseEscapeOutputDetailed(text, parseOpts);
    pushAll(findings, r.findings);
    if (r.findings.some((f) => f.flow.length > 0 || f.kind === 'capturing' || f.detail.cost !== undefined)) levelOne = false;
    for (const p of r.packages) {
      if (p.importPath === null) {
        if (p.failed && p.errors.length > 0) notes.push(`${name}: ${p.errors[0]}`);
        continue;
      }
      let s = byPkg.get(p.importPath);
      if (!s) {
        s = { importPath: p.importPath, dir: dirOf(p.importPath, parseOpts), status: 'log' };
        byPkg.set(p.importPath, s);
        packages.push(s);
      }
      if (p.failed) {
        s.status = 'failed';
        s.error = [s.error, ...p.errors].filter((e): e is string => !!e).join('\n') || 'build failed';
      }
    }
    if (r.findings.length === 0 && r.packages.every((p) => p.errors.length === 0)) {
      notes.push(`${name}: no compiler diagnostics found (was it made with -gcflags=-m=2, and was stderr captured?)`);
    }
  }
  if (findings.length > 0 && levelOne) {
    notes.push('escape log has no -m=2 explanations (made with -m); reasons are unavailable');
  }
  return { source: 'log', goVersion: null, packages, findings, notes };
}

function dirOf(importPath: string, o: ParseOptions): string | null {
  if (!o.moduleRoot || !o.modulePath) return null;
  const ip = importPath.endsWith('_test') ? importPath.slice(0, -5) : importPath;
  if (ip === o.modulePath) return o.moduleRoot;
  if (ip.startsWith(o.modulePath + '/')) return path.join(o.moduleRoot, ip.slice(o.modulePath.length + 1));
  return null;
}
