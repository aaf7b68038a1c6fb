#!/usr/bin/env node
// Renders an HTML report with headless Chromium: a PNG to look at, and a
// check that the page does not scroll sideways at 1280px.
//
//   node scripts/screenshot.mjs                  # the realistic fixture -> bench/out/report.png
//   node scripts/screenshot.mjs --html r.html --out shot.png [--width 1280] [--height 2000] [--full]
//   node scripts/screenshot.mjs --check-only --html r.html
//
// Without --html it renders test/golden/report/realistic.json (the realistic
// fixture as JSON) with the built renderer (dist/report/html.js; built with
// `npm run build` if missing), using the real rule catalogue when
// dist/advise/rules.js exists.
//
// The overflow check never touches the report itself: it writes a copy
// with the Content-Security-Policy relaxed and a small inline script that
// opens every <details>, measures, and writes the result into the DOM,
// which `chromium --dump-dom` prints. Exit code 1 when the page overflows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const RESULT_ID = '__advisor_overflow_result';

/** Path of a Chromium binary ($CHROMIUM, else the usual places), or null. Never installs anything. */
export function chromiumPath() {
  const env = process.env.CHROMIUM;
  if (env && existsSync(env)) return env;
  for (const c of CHROMIUM_CANDIDATES) if (existsSync(c)) return c;
  return null;
}

export const CHROMIUM_MISSING =
  `no Chromium found (${CHROMIUM_CANDIDATES.join(', ')} or $CHROMIUM). Install it with ` +
  '`apt-get update && apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this), or set CHROMIUM=/path/to/chrome.';

/** Path of a Chromium binary; throws with instructions when there is none. */
export function findChromium() {
  const bin = chromiumPath();
  if (!bin) throw new Error(CHROMIUM_MISSING);
  return bin;
}

function baseFlags(profileDir, width, height) {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profileDir}`,
    `--window-size=${width},${height}`,
  ];
}

function runChromium(args, timeoutMs = 60_000) {
  const bin = findChromium();
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

// Runs inside the page copy: opens all <details> (closed ones may hide wide
// content), then lists elements that stick out past the viewport and are
// not inside a box that scrolls or clips horizontally.
const MEASURE = `
(function () {
  var naturalHeight = document.documentElement.scrollHeight;
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var root = document.documentElement;
  var vw = root.clientWidth;
  function clipped(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  }
  var offenders = [];
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 0.5 && !clipped(el)) {
      offenders.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' right=' + Math.round(r.right));
    }
  });
  var out = document.createElement('pre');
  out.id = '${RESULT_ID}';
  out.textContent = JSON.stringify({
    viewportWidth: vw,
    scrollWidth: root.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    scrollHeight: root.scrollHeight,
    naturalHeight: naturalHeight,
    offenders: offenders.slice(0, 20)
  });
  document.body.appendChild(out);
})();
`;

function withMeasureScript(html) {
  const relaxed = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, '');
  const tag = `<script>${MEASURE}</script>`;
  return relaxed.includes('</body>') ? relaxed.replace('</body>', `${tag}</body>`) : relaxed + tag;
}

/**
 * Loads `html` at `width` px and reports whether anything overflows
 * horizontally. Returns { ok, viewportWidth, scrollWidth, scrollHeight, offenders }.
 */
export function checkNoOverflow(html, { width = 1280, height = 2000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'advisor-shot-'));
  try {
    const page = join(dir, 'measure.html');
    writeFileSync(page, withMeasureScript(html));
    const r = runChromium([...baseFlags(join(dir, 'profile'), width, height), '--dump-dom', pathToFileURL(page).href]);
    const m = new RegExp(`<pre id="${RESULT_ID}">([^<]*)</pre>`).exec(r.stdout ?? '');
    if (!m) throw new Error(`chromium printed no measurement (exit ${r.status}): ${(r.stderr ?? '').slice(-600)}`);
    const json = m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const result = JSON.parse(json);
    return { ok: result.scrollWidth <= width && result.offenders.length === 0, ...result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a PNG of `html` at `width` x `height` to `out`. */
export function screenshot(html, { out, width = 1280, height = 2000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'advisor-shot-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    const r = runChromium([
      ...baseFlags(join(dir, 'profile'), width, height),
      '--hide-scrollbars',
      `--screenshot=${out}`,
      pathToFileURL(page).href,
    ]);
    if (!existsSync(out)) throw new Error(`chromium wrote no screenshot (exit ${r.status}): ${(r.stderr ?? '').slice(-600)}`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fixtureHtml() {
  const renderer = join(ROOT, 'dist/report/html.js');
  if (!existsSync(renderer)) {
    console.error('screenshot: dist/report/html.js missing; building with tsc -p tsconfig.build.json');
    spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (!existsSync(renderer)) throw new Error('build did not produce dist/report/html.js; run `npm run build` and look at its errors');
  }
  const { renderHtml } = await import(pathToFileURL(renderer).href);
  let rules;
  const rulesPath = join(ROOT, 'dist/advise/rules.js');
  if (existsSync(rulesPath)) rules = (await import(pathToFileURL(rulesPath).href)).RULES;
  const report = JSON.parse(readFileSync(join(ROOT, 'test/golden/report/realistic.json'), 'utf8'));
  return renderHtml(report, { rules, linkTemplate: 'https://github.com/acme/shop/blob/{sha}/{path}#L{line}', sha: 'HEAD' });
}

function parseArgs(argv) {
  const args = { width: 1280, height: 2000, out: join(ROOT, 'bench/out/report.png'), html: null, full: false, checkOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--html') args.html = resolve(next());
    else if (a === '--out') args.out = resolve(next());
    else if (a === '--width') args.width = Number(next());
    else if (a === '--height') args.height = Number(next());
    else if (a === '--full') args.full = true;
    else if (a === '--check-only') args.checkOnly = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/screenshot.mjs [--html FILE] [--out PNG] [--width 1280] [--height 2000] [--full] [--check-only]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.width) || args.width < 320) throw new Error('--width must be an integer >= 320');
  if (!Number.isInteger(args.height) || args.height < 200) throw new Error('--height must be an integer >= 200');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const html = args.html ? readFileSync(args.html, 'utf8') : await fixtureHtml();
  const check = checkNoOverflow(html, { width: args.width, height: args.height });
  const verdict = check.ok ? 'no horizontal overflow' : 'HORIZONTAL OVERFLOW';
  console.log(`screenshot: ${verdict} at ${args.width}px (scrollWidth ${check.scrollWidth}, page height ${check.scrollHeight})`);
  for (const o of check.offenders) console.log(`  sticks out: ${o}`);
  if (!args.checkOnly) {
    // --full: tall enough for the whole page as it opens (only the first <details> expanded).
    const height = args.full ? Math.min(16_000, Math.max(args.height, check.naturalHeight)) : args.height;
    const out = screenshot(html, { out: args.out, width: args.width, height });
    console.log(`screenshot: wrote ${out} (${args.width}x${height})`);
  }
  process.exit(check.ok ? 0 : 1);
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((e) => {
    console.error(`screenshot: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
}
