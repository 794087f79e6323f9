import { describe, expect, it } from '@jest/globals';
import {
  Disclosure,
  fiscalYearPeriod,
  FOLLOW_UP_WINDOWS,
  intensityBand,
  intensityBandSql,
  mean,
  median,
  monthsTouched,
  parseGroupBy,
  perUnit,
  ratePercent,
  round,
} from './report-maths.js';

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([335, 182, 222])).toBe(222);
  });
  it('is the mean of the two middle values of an even count', () => {
    expect(median([10, 1, 4, 7])).toBe(5.5);
  });
  it('is null for no values, and the value itself for one', () => {
    expect(median([])).toBeNull();
    expect(median([42])).toBe(42);
  });
  it('does not reorder the caller’s array', () => {
    const days = [3, 1, 2];
    median(days);
    expect(days).toEqual([3, 1, 2]);
  });
});

describe('rates and means', () => {
  it('gives a percentage with one decimal, rounding half up', () => {
    expect(ratePercent(1, 3)).toBe(33.3);
    expect(ratePercent(2, 3)).toBe(66.7);
    expect(ratePercent(1, 8)).toBe(12.5);
    expect(ratePercent(4, 6)).toBe(66.7);
  });
  it('is null, not 0 or NaN, when nobody is in the denominator', () => {
    expect(ratePercent(0, 0)).toBeNull();
    expect(perUnit(3, 0)).toBeNull();
    expect(mean(0, 0)).toBeNull();
  });
  it('counts per unit with two decimals', () => {
    expect(perUnit(21, 32)).toBe(0.66);
    expect(perUnit(30, 32)).toBe(0.94);
    expect(perUnit(11, 2)).toBe(5.5);
  });
  it('rounds a value that binary floating point stores just below the half', () => {
    expect(round(1.005, 2)).toBe(1.01);
    expect(mean(1493, 5)).toBe(298.6);
  });
});

describe('follow-up windows', () => {
  it('defines 3/6/12 months as 90/180/365 days', () => {
    expect(FOLLOW_UP_WINDOWS.map((w) => [w.months, w.days])).toEqual([
      [3, 90],
      [6, 180],
      [12, 365],
    ]);
  });
});

describe('intensity bands (face-to-face days per enrollment-month)', () => {
  it.each([
    [0, '<2'],
    [1.99, '<2'],
    [2, '2-3'],
    [3.99, '2-3'],
    [4, '4-7'],
    [7.5, '4-7'],
    [8, '>=8'],
    [31, '>=8'],
  ])('%s days a month is band %s', (days, band) => {
    expect(intensityBand(days)).toBe(band);
  });
  it('writes the same bands as SQL', () => {
    expect(intensityBandSql('x')).toBe(
      `CASE WHEN x < 2 THEN '<2' WHEN x < 4 THEN '2-3' WHEN x < 8 THEN '4-7' ELSE '>=8' END`,
    );
  });
});

describe('enrollment-months', () => {
  it('counts every calendar month touched, both ends included', () => {
    expect(monthsTouched('2025-04-01', '2025-05-31')).toBe(2);
    expect(monthsTouched('2025-04-30', '2025-05-01')).toBe(2);
    expect(monthsTouched('2025-09-01', '2025-09-30')).toBe(1);
    expect(monthsTouched('2025-04-15', '2026-03-31')).toBe(12);
  });
  it('is 0 for an empty period', () => {
    expect(monthsTouched('2025-05-01', '2025-04-30')).toBe(0);
  });
});

describe('fiscal year (年度, April–March)', () => {
  it('runs from 1 April to 31 March of the next year', () => {
    expect(fiscalYearPeriod(2023)).toEqual({ fiscalYear: 2023, from: '2023-04-01', to: '2024-03-31' });
  });
  it('defaults to the fiscal year of today: 31 March is still the old year, 1 April the new one', () => {
    expect(fiscalYearPeriod(undefined, '2026-03-31').fiscalYear).toBe(2025);
    expect(fiscalYearPeriod(undefined, '2026-04-01').fiscalYear).toBe(2026);
  });
});

describe('suppression of small numbers', () => {
  const five = new Disclosure(5);
  it('reads counts 1 to 4 as "<5", and keeps 0 and 5', () => {
    expect([0, 1, 4, 5, 12].map((n) => five.count(n))).toEqual([0, '<5', '<5', 5, 12]);
  });
  it('withholds a rate from fewer than 5 people and names the field', () => {
    const withheld: string[] = [];
    expect(five.derived(50, 4, 'ratePercent', withheld)).toBeNull();
    expect(withheld).toEqual(['ratePercent']);
  });
  it('keeps a rate from 5 people or more, and a null rate is not "withheld"', () => {
    const withheld: string[] = [];
    expect(five.derived(20, 5, 'ratePercent', withheld)).toBe(20);
    expect(five.derived(null, 0, 'ratePercent', withheld)).toBeNull();
    expect(withheld).toEqual([]);
  });
  it('changes nothing without a threshold', () => {
    const withheld: string[] = [];
    expect(Disclosure.exact().count(3)).toBe(3);
    expect(Disclosure.exact().derived(33.3, 3, 'ratePercent', withheld)).toBe(33.3);
    expect(withheld).toEqual([]);
  });
});

describe('groupBy', () => {
  it('keeps the order asked for', () => {
    expect(parseGroupBy('hospital,month')).toEqual({ dims: ['hospital', 'month'] });
  });
  it('is empty when absent', () => {
    expect(parseGroupBy(undefined)).toEqual({ dims: [] });
  });
  it('refuses unknown and repeated dimensions', () => {
    expect(parseGroupBy('month,ward')).toEqual({
      error: expect.stringContaining('unknown dimension "ward"'),
    });
    expect(parseGroupBy('month,month')).toEqual({ error: expect.stringContaining('twice') });
  });
});
