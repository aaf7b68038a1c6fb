// SARIF 2.1.0 for code-scanning UIs: one result per HOT finding, rules from
// the catalogue. Cold escapes are left out on purpose: the point of the
// tool is that they are not worth an alert.
//
// Level: `error` when a site holds at least 10% of the chosen sample type
// (a tenth of all allocation in one line is worth a red mark), `warning`
// for every other hot site. Rank alone does not decide it: rank 1 of a flat
// profile can be 2%.
//
// Locations: a finding inside --src gets a physical location relative to
// %SRCROOT%: the git top level when --src is in a repository (the CLI passes
// `repository`), else the --src directory. One outside --src (file null) gets
// only a logical location, its function, since its path belongs to another
// machine's module cache.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Finding, Report, Rule, RuleId } from '../model/report.js';
import { encodePath, jsonText, visibleCode } from './sanitize.js';
import { formatPercent, formatValue } from '../model/units.js';
import { shortFunctionName } from '../model/names.js';
import { explainEscape, type RuleCatalogue } from './view.js';
import { maxOf } from '../arrays.js';

export interface SarifOptions {
  /** The rule catalogue (RULES from src/advise/rules.ts): becomes tool.driver.rules. */
  rules?: RuleCatalogue;
  /**
   * The git repository --src is in: locations become relative to its top
   * level (%SRCROOT%), so code scanning finds the file when the Go module is
   * in a subdirectory. Without it, %SRCROOT% is --src itself.
   */
  repository?: { top: string; prefix: string };
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const ERROR_SHARE = 0.1;
/** Rule id for a hot finding the engine could not attach a rule to. */
export const HOT_ALLOCATION_RULE = 'hot-allocation';
const SRCROOT = '%SRCROOT%';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function ruleDescriptor(id: string, rule: Rule | undefined): Json {
  if (!rule) {
    const words = id.replace(/-/g, ' ');
    const text =
      id === HOT_ALLOCATION_RULE
        ? 'A hot allocation site with no matching rule: read the site and its allocated-by frames.'
        : `Hot allocation site (${words}).`;
    return {
      id,
      name: pascal(id),
      shortDescription: { text: id === HOT_ALLOCATION_RULE ? 'Hot allocation site' : words },
      fullDescription: { text },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['performance', 'memory', 'go'] },
    };
  }
  const hasExample = rule.before.trim() !== '' && rule.after.trim() !== '';
  const helpText = [
    rule.fix,
    ...(hasExample ? ['', 'Before:', rule.before, '', 'After:', rule.after] : []),
    ...(rule.whenNot ? ['', `When not to: ${rule.whenNot}`] : []),
  ].join('\n');
  const fence = (code: string) => {
    const longest = maxOf(Array.from(code.matchAll(/`+/g), (m) => m[0].length), 0);
    const f = '`'.repeat(Math.max(3, longest + 1));
    return `${f}go\n${code}\n${f}`;
  };
  const helpMarkdown = [
    rule.fix,
    ...(hasExample ? ['', '**Before**', '', fence(rule.before), '', '**After**', '', fence(rule.after)] : []),
    ...(rule.whenNot ? ['', `**When not to:** ${rule.whenNot}`] : []),
  ].join('\n');
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.trigger} ${rule.fix}` },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['performance', 'memory', 'go'] },
  };
}

function fingerprint(f: Finding, ruleId: string): string {
  // Line numbers move with unrelated edits; function, file and rule do not.
  return createHash('sha256')
    .update(`${f.site.function}\u0000${f.site.file ?? f.site.profileFile}\u0000${ruleId}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * A path that stays inside %SRCROOT%: relative, with no `..` (or empty)
 * segments. Anything else, which a hostile profile can produce, is reported
 * as a logical location only, so code scanning never points outside the tree.
 */
export function isContainedPath(file: string | null): file is string {
  if (!file || /^[\\/]|^[A-Za-z]:|^[a-z][a-z0-9+.-]*:/i.test(file)) return false;
  return file.split(/[\\/]/).every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

function physical(file: string, line: number, extra: { [k: string]: Json } = {}, prefix = ''): Json {
  return {
    artifactLocation: { uri: encodePath(prefix + file), uriBaseId: SRCROOT },
    region: { startLine: Math.max(1, line), ...extra },
  };
}

function result(f: Finding, ruleId: string, ruleIndex: number, report: Report, prefix: string): Json {
  const { profile } = report;
  const value = formatValue(f.value, profile.unit);
  let text = `${formatPercent(f.share)} of ${profile.sampleType} (${value})`;
  if (f.companionShare !== null && profile.companion) text += ` and ${formatPercent(f.companionShare)} of ${profile.companion.sampleType}`;
  text += ` is allocated here, in ${f.site.function}. ${f.advice}`;
  const reasons = f.escapes.map(explainEscape);
  if (reasons.length > 0) text += ` Why: ${reasons.join('; ')}.`;

  const logical = [{ fullyQualifiedName: f.site.function, name: shortFunctionName(f.site.function), kind: 'function' }];
  let location: Json;
  if (isContainedPath(f.site.file)) {
    const region: { [k: string]: Json } = {};
    const col = f.escapes.find((e) => e.line === f.site.line && e.column !== null)?.column;
    if (col) region.startColumn = col;
    const s = f.snippet;
    const focus = s ? s.lines[s.focusLine - s.startLine] : undefined;
    if (focus !== undefined) region.snippet = { text: visibleCode(focus) };
    const loc = physical(f.site.file, f.site.line, region, prefix) as { [k: string]: Json };
    if (s && s.lines.length > 0) {
      loc.contextRegion = {
        startLine: Math.max(1, s.startLine),
        endLine: Math.max(1, s.startLine + s.lines.length - 1),
        snippet: { text: s.lines.map((l) => visibleCode(l)).join('\n') },
      };
    }
    location = { physicalLocation: loc, logicalLocations: logical };
  } else {
    location = { logicalLocations: logical, message: { text: `Outside --src: ${f.site.profileFile}:${f.site.line}` } };
  }

  const related: Json[] = [];
  if (isContainedPath(f.site.file)) {
    if (f.site.callSite && isContainedPath(f.site.callSite.file)) {
      related.push({
        id: related.length,
        physicalLocation: physical(f.site.callSite.file, f.site.callSite.line, {}, prefix),
        message: { text: `Inlined into ${f.site.callSite.function}; the compiler reports the allocation here.` },
      });
    }
    const callFile = f.site.callSite?.file ?? null;
    const escapeFile = isContainedPath(callFile) ? callFile : f.site.file;
    for (const e of f.escapes) {
      if (e.line === f.site.line && escapeFile === f.site.file) continue;
      if (f.site.callSite && e.line === f.site.callSite.line && escapeFile === f.site.callSite.file) continue;
      related.push({ id: related.length, physicalLocation: physical(escapeFile, e.line, {}, prefix), message: { text: explainEscape(e) } });
    }
  }

  const e = f.estimate;
  return {
    ruleId,
    ruleIndex,
    level: f.share >= ERROR_SHARE ? 'error' : 'warning',
    message: { text },
    locations: [location],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'advisorSite/v1': fingerprint(f, ruleId) },
    properties: {
      rank: f.rank,
      share: f.share,
      value: f.value,
      unit: profile.unit,
      sampleType: profile.sampleType,
      companionShare: f.companionShare,
      companion: f.companion,
      tier: f.tier,
      sourceStatus: f.source.status,
      score: f.score,
      match: f.match,
      oneOff: f.oneOff,
      allocatedBy: f.allocatedBy,
      escapeReasons: f.escapes.map((x) => x.reasons.join(', ')),
      estimate: {
        bytes: e.bytes,
        objects: e.objects,
        bytesPerSecond: e.bytesPerSecond,
        objectsPerSecond: e.objectsPerSecond,
        cpuShare: e.cpuShare ?? null,
        note: e.note,
      },
      ...(f.site.file === null ? { profileFile: f.site.profileFile } : {}),
    },
  };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const catalogue = opts.rules ?? {};
  const hot = report.findings.filter((f) => f.hot);
  const ids: string[] = Object.keys(catalogue);
  for (const f of hot) {
    const id = f.rule ?? HOT_ALLOCATION_RULE;
    if (!ids.includes(id)) ids.push(id);
  }
  const rules = ids.map((id) => ruleDescriptor(id, catalogue[id as RuleId]));
  const results = hot.map((f) => {
    const id = f.rule ?? HOT_ALLOCATION_RULE;
    return result(f, id, ids.indexOf(id), report, opts.repository?.prefix ?? '');
  });
  const notifications = [
    ...report.escape.notes.map((n) => ({ level: 'note', message: { text: n } })),
    ...report.escape.packages
      .filter((p) => p.error)
      .map((p) => ({ level: 'warning', message: { text: `${p.importPath}: ${p.error}` } })),
    ...report.warnings.map((w) => ({ level: 'warning', message: { text: w } })),
    // The comparison itself is not a SARIF result; how it was scaled and paired is said here.
    ...(report.diff
      ? [
          { level: 'note', message: { text: `compared with ${report.diff.base.join(', ')}: ${report.diff.normalization.text}` } },
          ...(report.diff.pairing.note ? [{ level: 'note', message: { text: report.diff.pairing.note } }] : []),
        ]
      : []),
  ];
  const { profile } = report;
  const log: Json = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            ...(/^\d+\.\d+\.\d+/.test(report.tool.version) ? { semanticVersion: report.tool.version } : {}),
            rules,
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: opts.repository
            ? {
                uri: pathToFileURL(`${opts.repository.top}/`).href,
                description: { text: `The root of the git repository (its top level)${opts.repository.prefix ? `; --src is ${opts.repository.prefix}` : ', which is --src'}.` },
              }
            : { description: { text: 'The source directory given with --src.' } },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        properties: {
          reportSchemaVersion: report.schemaVersion,
          profile: {
            sources: profile.sources,
            sampleType: profile.sampleType,
            unit: profile.unit,
            total: profile.total,
            companion: profile.companion,
            durationNanos: profile.durationNanos,
          },
          escapeAnalysis: { source: report.escape.source, goVersion: report.escape.goVersion },
          cold: { sites: report.cold.sites, share: report.cold.share, escapes: report.cold.escapes },
        },
      },
    ],
  };
  return `${jsonText(log)}\n`;
}
