import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REALWORLD } from '../../test/helpers/realworld.js';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatRelative,
  formatSharePoints,
  formatSize,
  formatValue,
  scaledLabel,
  selectOutputUnit,
  toFixedGo,
  UNIT_FAMILIES,
} from './units.js';

const MB = 2 ** 20;

describe('formatSize (sizes of files and limits, not profile values)', () => {
  it('uses binary steps named as the size flags are spelled', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(256 * 1024)).toBe('256 KiB');
    expect(formatSize(1024 * 1024 * 1024)).toBe('1 GiB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatSize(16 * MB)).toBe('16 MiB');
  });
});

describe('formatBytes (pprof measurement.Label)', () => {
  it('scales by 1024 and names units as pprof does', () => {
    expect(formatBytes(0)).toBe('0');
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(8000)).toBe('7.81kB');
    expect(formatBytes(1024)).toBe('1kB');
    expect(formatBytes(MB)).toBe('1MB');
    expect(formatBytes(613859834)).toBe('585.42MB');
    expect(formatBytes(3 * 2 ** 30)).toBe('3GB');
    expect(formatBytes(2 ** 40 * 1.5)).toBe('1.50TB');
    expect(formatBytes(2 ** 50 * 2)).toBe('2PB');
  });
  it('forces one unit when asked, as pprof -top does for a whole table', () => {
    expect(formatBytes(MB / 2, 'MB')).toBe('0.50MB');
    expect(formatBytes(519.52 * MB, 'MB')).toBe('519.52MB');
    expect(formatBytes(100, 'MB')).toBe('0');
  });
  it('rounds exact ties half to even like Go, not up like toFixed', () => {
    // 131072 B is exactly 0.125MB; Go's %.2f prints 0.12.
    expect(formatBytes(131072, 'MB')).toBe('0.12MB');
    expect(formatBytes(3 * 131072, 'MB')).toBe('0.38MB');
    expect(toFixedGo(0.125, 2)).toBe('0.12');
    expect(toFixedGo(0.375, 2)).toBe('0.38');
    expect(toFixedGo(-2.5, 0)).toBe('-2');
    expect(toFixedGo(1.005, 2)).toBe('1.00'); // 1.005 is really 1.00499999...
  });
  it('keeps the sign of negative values (diffs)', () => {
    expect(formatBytes(-8000)).toBe('-7.81kB');
  });
});

describe('the units table', () => {
  it('is data: bytes in steps of 1024 from B to PB, times from ns to hrs', () => {
    const bytes = UNIT_FAMILIES.find((f) => f.kind === 'bytes')!;
    expect(bytes.units.map((u) => u.name)).toEqual(['B', 'kB', 'MB', 'GB', 'TB', 'PB']);
    bytes.units.forEach((u, i) => expect(u.factor).toBe(1024 ** i));
    const time = UNIT_FAMILIES.find((f) => f.kind === 'time')!;
    expect(time.units.map((u) => u.name)).toEqual(['ns', 'us', 'ms', 's', 'hrs']);
  });
  it('accepts the unit spellings profiles use', () => {
    expect(scaledLabel(2048, 'bytes')).toBe('2kB');
    expect(scaledLabel(2048, 'byte')).toBe('2kB');
    expect(scaledLabel(2, 'kilobytes')).toBe('2kB');
    expect(scaledLabel(1500, 'microseconds')).toBe('1.50ms');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(2223898853784)).toBe('2,223,898,853,784');
    expect(formatCount(-45678)).toBe('-45,678');
    expect(formatCount(1234.6)).toBe('1,235');
  });
});

describe('formatPercent (pprof measurement.Percentage, no exponent form)', () => {
  it('prints two decimals at or above 1%', () => {
    expect(formatPercent(0.8874)).toBe('88.74%');
    expect(formatPercent(0.05)).toBe('5.00%');
    expect(formatPercent(0.01)).toBe('1.00%');
  });
  it('prints two significant digits below 1%', () => {
    expect(formatPercent(0.00086)).toBe('0.086%');
    expect(formatPercent(0.000012)).toBe('0.0012%');
    expect(formatPercent(0.005)).toBe('0.5%');
    expect(formatPercent(0.0000001234)).toBe('0.000012%');
  });
  it('says 100% near it and 0% at zero', () => {
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.9996)).toBe('100%');
    expect(formatPercent(0.9994)).toBe('99.94%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('signs share points and relative changes', () => {
    expect(formatSharePoints(0.032)).toBe('+3.20pp');
    expect(formatSharePoints(-0.0041)).toBe('-0.41pp');
    expect(formatSharePoints(0)).toBe('±0pp');
    expect(formatRelative(0.35)).toBe('+35%');
    expect(formatRelative(-0.125)).toBe('-13%');
    expect(formatRelative(0.015)).toBe('+1.5%');
    expect(formatRelative(12.5)).toBe('+1,250%');
    expect(formatRelative(null)).toBe('new');
  });
});

describe('formatDuration and formatValue', () => {
  it('prints durations as pprof prints Duration:', () => {
    expect(formatDuration(1.2e9)).toBe('1.20s');
    expect(formatDuration(30e9)).toBe('30s');
    expect(formatDuration(250e6)).toBe('250ms');
    expect(formatDuration(3599.999e9)).toBe('3600s');
    expect(formatDuration(5400e9)).toBe('1.50hrs');
    expect(formatDuration(0)).toBe('0');
  });
  it('dispatches on the unit', () => {
    expect(formatValue(613859834, 'bytes')).toBe('585.42MB');
    expect(formatValue(11350670, 'count')).toBe('11,350,670');
    expect(formatValue(2.03e9, 'nanoseconds')).toBe('2.03s');
    expect(formatValue(1234, 'widgets')).toBe('1,234 widgets');
  });
});

describe('selectOutputUnit (pprof report.selectOutputUnit)', () => {
  it('uses the smallest value unit, or one that shows it as >= 0.01 of a larger total', () => {
    // pprof -top prints 0.50MB next to 519.52MB: the total is in MB and 0.5MB*100 >= 1MB.
    expect(selectOutputUnit([519.52 * MB, MB / 2], 585 * MB, 'bytes')).toBe('MB');
    // All values in kB and the total too: kB.
    expect(selectOutputUnit([9 * 1024, 2048], 500 * 1024, 'bytes')).toBe('kB');
    // A 300-byte value under a 2GB total: scaled x100 it is 29kB, so kB.
    expect(selectOutputUnit([300], 2 * 2 ** 30, 'bytes')).toBe('kB');
    expect(selectOutputUnit([], 0, 'bytes')).toBe('auto');
    expect(selectOutputUnit([5], 10, 'count')).toBe('auto');
  });
});

// Checks the table against what `go tool pprof` printed for real profiles:
// every "of X total" and "Dropped N nodes (cum <= X)" label in the oracle
// -top outputs, recomputed from the raw totals in the facts files.
describe('labels printed by go tool pprof on the real-world corpus', () => {
  it('matches every total and node-cutoff label', () => {
    const dir = join(REALWORLD, 'oracle');
    let checked = 0;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.top.txt'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const base = name.replace(/(\.full|\.inuse_space|\.addresses)?\.top\.txt$/, '');
      const factsPath = join(dir, `${base}.facts.json`);
      if (!existsSync(factsPath)) continue;
      const facts = JSON.parse(readFileSync(factsPath, 'utf8')) as {
        sample_types?: string[] | null;
        value_totals?: number[] | null;
      };
      const type = /^Type: (\S+)$/m.exec(text)?.[1];
      if (!type || !facts.sample_types || !facts.value_totals) continue;
      const index = facts.sample_types.findIndex((t) => t.split('/')[0] === type);
      if (index < 0) continue;
      const unit = facts.sample_types[index].split('/')[1];
      const total = facts.value_totals[index];
      const totalLabel = / of (\S+) total$/m.exec(text)?.[1];
      if (!totalLabel) continue;
      const suffix = /^-?[\d.]+([A-Za-z]*)$/.exec(totalLabel)?.[1] ?? '';
      const toUnit = suffix === '' ? 'auto' : suffix;
      expect(scaledLabel(total, unit, toUnit), `${name}: total`).toBe(totalLabel);
      checked++;
      const dropped = /^Dropped \d+ nodes? \(cum <= (\S+)\)$/m.exec(text)?.[1];
      if (dropped) {
        const cutoff = Math.abs(Math.trunc(total * 0.005));
        expect(scaledLabel(cutoff, unit, toUnit), `${name}: cutoff`).toBe(dropped);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
