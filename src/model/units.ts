// Units as data, printed the way `go tool pprof` prints them.
//
// The table and the scaling rules follow google/pprof internal/measurement
// (UnitTypes, autoScale, ScaledLabel, Percentage) and internal/report
// (selectOutputUnit): bytes step by 1024 and are named B, kB, MB, GB, TB, PB;
// a scaled value is printed with two decimals and a trailing ".00" dropped
// (`7.81kB`, `519.52MB`, `1MB`). Counts are where we differ on purpose: pprof
// prints them bare, we add thousands separators (`31,482,113`) because a
// report is read, not parsed.

export interface UnitDef {
  /** The name pprof prints. */
  name: string;
  /** Lower-case spellings accepted in a profile's ValueType.unit (pprof also drops a trailing "s"). */
  aliases: string[];
  /** Size of one of these in the family's base unit (bytes, nanoseconds). */
  factor: number;
}

export interface UnitFamily {
  kind: 'bytes' | 'time';
  /** Smallest first: auto-scaling picks the largest unit that keeps the value >= 1. */
  units: UnitDef[];
  /** Used when a value is too small for any unit (0, or below 1 of the base). */
  defaultUnit: string;
}

export const UNIT_FAMILIES: readonly UnitFamily[] = [
  {
    kind: 'bytes',
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: 'B',
  },
  {
    kind: 'time',
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: 's',
  },
];

/** Units pprof treats as plain numbers (no scaling, no suffix). */
const COUNT_UNITS = new Set(['', 'count', 'counts', 'sample', 'samples', 'unit', 'units', 'object', 'objects']);

function findUnit(family: UnitFamily, unit: string): UnitDef | null {
  // pprof's sniffUnit: lower-case, and drop a plural "s" from names longer than 2.
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return family.units.find((d) => d.aliases.includes(u)) ?? null;
}

function familyOf(unit: string): { family: UnitFamily; unit: UnitDef } | null {
  for (const family of UNIT_FAMILIES) {
    const def = findUnit(family, unit);
    if (def) return { family, unit: def };
  }
  return null;
}

export function isBytesUnit(unit: string): boolean {
  return familyOf(unit)?.family.kind === 'bytes';
}

export function isTimeUnit(unit: string): boolean {
  return familyOf(unit)?.family.kind === 'time';
}

export function isCountUnit(unit: string): boolean {
  return COUNT_UNITS.has(unit.toLowerCase());
}

/**
 * pprof's measurement.Scale: converts `value` from `fromUnit` to `toUnit`.
 * `toUnit` 'auto' (or 'minimum') picks the largest unit of the family that
 * keeps the value at or above 1. Returns the unit name to print, '' for
 * counts and unknown units.
 */
export function scaleValue(value: number, fromUnit: string, toUnit = 'auto'): { value: number; unit: string } {
  if (value < 0) {
    const s = scaleValue(-value, fromUnit, toUnit);
    return { value: -s.value, unit: s.unit };
  }
  const from = familyOf(fromUnit);
  if (from) {
    const base = value * from.unit.factor;
    const { family } = from;
    if (toUnit === 'auto' || toUnit === 'minimum') {
      let best: UnitDef | null = null;
      for (const u of family.units) {
        if ((best === null || u.factor >= best.factor) && base / u.factor >= 1) best = u;
      }
      if (best) return { value: base / best.factor, unit: best.name };
      const def = family.units.find((u) => u.name === family.defaultUnit)!;
      return { value: base / def.factor, unit: def.name };
    }
    const to = findUnit(family, toUnit) ?? family.units.find((u) => u.name === family.defaultUnit)!;
    return { value: base / to.factor, unit: to.name };
  }
  if (isCountUnit(toUnit) || toUnit === 'auto' || toUnit === 'minimum') return { value, unit: '' };
  return { value, unit: toUnit };
}

/**
 * Go's strconv rounds the exact binary value half-to-even; JavaScript's
 * toFixed/toPrecision round an exact tie up. Ties are rare but real for
 * byte counts (131072 B is exactly 0.125MB: Go prints 0.12MB). This finds a
 * tie from the exact decimal expansion and rounds it to even.
 */
function isExactTie(x: number, digits: number): boolean {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e20) return false;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const frac = exact.slice(exact.indexOf('.') + 1 + digits);
  return /^50*$/.test(frac);
}

/** `%.{digits}f` as Go prints it. */
export function toFixedGo(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (isExactTie(x, digits)) {
    const scale = 10 ** digits;
    const down = Math.trunc(Math.abs(x) * scale);
    const n = down % 2 === 0 ? down : down + 1;
    const s = (n / scale).toFixed(digits);
    return x < 0 ? `-${s}` : s;
  }
  return x.toFixed(digits);
}

/** `digits` significant digits, half-to-even on exact ties, never exponent notation, trailing zeros dropped (like Go's %g). */
function toSignificant(x: number, digits: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const exponent = Math.floor(Math.log10(abs));
  const decimals = Math.max(0, digits - 1 - exponent);
  let s = toFixedGo(abs, decimals);
  // log10 can land one off near powers of ten (0.000999... -> "0.0010").
  if (decimals > 0 && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return x < 0 ? `-${s}` : s;
}

/**
 * pprof's ScaledLabel: scale, print with two decimals, drop ".00", and
 * print exact zero as "0" without a unit.
 */
export function scaledLabel(value: number, fromUnit: string, toUnit = 'auto'): string {
  const s = scaleValue(value, fromUnit, toUnit);
  const sv = toFixedGo(s.value, 2).replace(/\.00$/, '');
  if (sv === '0' || sv === '-0') return '0';
  return sv + s.unit;
}

/** Bytes as pprof prints them: `7.81kB`, `519.52MB`, `1MB`. Pass `toUnit` ('MB', ...) to force one unit, as pprof -top does for a whole table. */
export function formatBytes(bytes: number, toUnit = 'auto'): string {
  return scaledLabel(bytes, 'bytes', toUnit);
}

/**
 * A size of a file, a download or a limit (not a profile value): binary
 * steps named as the size flags are spelled (`512 B`, `256 KiB`, `1.5 MiB`,
 * `1 GiB`), one decimal when not whole.
 */
export function formatSize(n: number): string {
  const KiB = 1024;
  const MiB = KiB * 1024;
  const GiB = MiB * 1024;
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  if (n >= GiB) return `${fmt(n / GiB)} GiB`;
  if (n >= MiB) return `${fmt(n / MiB)} MiB`;
  if (n >= KiB) return `${fmt(n / KiB)} KiB`;
  return `${n} B`;
}

/** Integer with thousands separators: 1,234,567. Fractions (estimates) are rounded. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n);
  const digits = Math.abs(r).toFixed(0);
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${grouped}` : grouped;
}

/**
 * A fraction (0..1) as a percentage with at least two significant digits,
 * following pprof's Percentage: `100%` within 0.05 of it, two decimals at
 * or above 1% (`88.74%`), two significant digits below (`0.086%`,
 * `0.0012%`). Unlike Go's %g we never switch to exponent notation.
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const ratio = fraction * 100;
  const abs = Math.abs(ratio);
  const sign = ratio < 0 ? '-' : '';
  if (abs >= 99.95 && abs <= 100.05) return `${sign}100%`;
  if (abs >= 1) return `${sign}${toFixedGo(abs, 2)}%`;
  return `${sign}${toSignificant(abs, 2)}%`;
}

/** A change in share, in percentage points, always signed: `+3.20pp`, `-0.41pp`, `±0pp`. */
export function formatSharePoints(delta: number): string {
  if (!Number.isFinite(delta)) return '–';
  const pts = delta * 100;
  if (pts === 0) return '±0pp';
  const abs = Math.abs(pts);
  const body = abs >= 1 ? toFixedGo(abs, 2) : toSignificant(abs, 2);
  if (/^0(\.0*)?$/.test(body)) return '±0pp';
  return `${pts < 0 ? '-' : '+'}${body}pp`;
}

/** A relative change of a value: `+35%`, `-12%`, `+1,250%`; `new` when there was no base. */
export function formatRelative(change: number | null): string {
  if (change === null || !Number.isFinite(change)) return 'new';
  const pct = change * 100;
  const abs = Math.abs(pct);
  const body = abs >= 10 ? formatCount(abs) : abs >= 1 ? toFixedGo(abs, 1).replace(/\.0$/, '') : toSignificant(abs, 2);
  if (/^0(\.0*)?$/.test(body)) return '±0%';
  return `${pct < 0 ? '-' : '+'}${body}%`;
}

/** A duration in nanoseconds as pprof's header prints it (`1.20s`, `250ms`, `3600s`, `1.50hrs`). */
export function formatDuration(nanos: number): string {
  return scaledLabel(nanos, 'nanoseconds', 'auto');
}

/** Any sample value with its profile unit: bytes scale, times scale, counts get separators, other units are appended. */
export function formatValue(value: number, unit: string, toUnit = 'auto'): string {
  if (isBytesUnit(unit) || isTimeUnit(unit)) return scaledLabel(value, unit, toUnit);
  if (isCountUnit(unit)) return formatCount(value);
  return `${formatCount(value)} ${unit}`;
}

/** A per-second rate of a sample value (`4.02MB/s`, `1,204/s`). */
export function formatRate(perSecond: number, unit: string): string {
  return `${formatValue(perSecond, unit)}/s`;
}

/**
 * The one unit a table uses for all its values, chosen as pprof's
 * selectOutputUnit does for -top: the unit of the smallest non-zero value,
 * unless the total needs a different unit and the smallest is under 1% of
 * it, in which case a unit that shows the smallest as at least 0.01. That
 * is why pprof prints `0.50MB` next to `519.52MB`.
 */
export function selectOutputUnit(values: readonly number[], total: number, sampleUnit: string): string {
  if (!familyOf(sampleUnit)) return 'auto';
  let min = 0;
  for (const v of values) {
    const a = Math.abs(v);
    if (a > 0 && (min === 0 || a < min)) min = a;
  }
  const max = Math.abs(total);
  if (min === 0) min = max;
  if (min === 0) return 'auto';
  const minUnit = scaleValue(min, sampleUnit, 'minimum').unit;
  const maxUnit = scaleValue(max, sampleUnit, 'minimum').unit;
  if (minUnit !== maxUnit && min * 100 < max) return scaleValue(100 * min, sampleUnit, 'minimum').unit;
  return minUnit;
}
