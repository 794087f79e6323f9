import { describe, expect, it } from '@jest/globals';
import { assessMonth, daysRemainingIn, faceToFaceDays, isFaceToFace, parseMonth, type RuleContact } from './monthly-rule.js';

const NOV = parseMonth('2026-11')!;
const OCT = parseMonth('2026-10')!;
const c = (occurredOn: string, o: Partial<RuleContact> = {}): RuleContact => ({ kind: 'face_to_face', occurredOn, endsOn: null, staffCount: 1, ...o });

describe('monthly face-to-face rule', () => {
  describe('parseMonth', () => {
    it('gives the first and last day, leap years included', () => {
      expect(parseMonth('2026-11')).toEqual({ month: '2026-11', first: '2026-11-01', last: '2026-11-30' });
      expect(parseMonth('2028-02')?.last).toBe('2028-02-29');
      expect(parseMonth('2027-02')?.last).toBe('2027-02-28');
      expect(parseMonth('2026-12')?.last).toBe('2026-12-31');
    });

    it.each(['2026-13', '2026-00', '2026-1', '26-01', '2026-11-01', '', 'november', null, 202611])('refuses %p', (m) => {
      expect(parseMonth(m)).toBeNull();
    });
  });

  it('counts two contacts on the same day once', () => {
    const days = faceToFaceDays([c('2026-11-05'), c('2026-11-05', { kind: 'home_visit' })], NOV);
    expect(days).toEqual(['2026-11-05']);
    expect(assessMonth([c('2026-11-05'), c('2026-11-05')], NOV, '2026-12-01').status).toBe('missed');
  });

  it('splits a trial stay across the month boundary: the days inside each month count there', () => {
    const stay = c('2026-10-30', { kind: 'trial_stay', endsOn: '2026-11-02' });
    expect(faceToFaceDays([stay], OCT)).toEqual(['2026-10-30', '2026-10-31']);
    expect(faceToFaceDays([stay], NOV)).toEqual(['2026-11-01', '2026-11-02']);
    expect(assessMonth([stay], OCT, '2026-12-01').status).toBe('met');
    expect(assessMonth([stay], NOV, '2026-12-01').status).toBe('met');
  });

  it('counts a one-night stay on the last day of the month as one day in each month', () => {
    const stay = c('2026-10-31', { kind: 'trial_stay', endsOn: '2026-11-01' });
    expect(faceToFaceDays([stay], OCT)).toEqual(['2026-10-31']);
    expect(faceToFaceDays([stay], NOV)).toEqual(['2026-11-01']);
  });

  it('does not count phone calls, case conferences or other contacts', () => {
    const contacts = [c('2026-11-02', { kind: 'phone' }), c('2026-11-03', { kind: 'case_conference' }), c('2026-11-04', { kind: 'other' })];
    expect(faceToFaceDays(contacts, NOV)).toEqual([]);
  });

  it('counts a peer visit only when staff took part', () => {
    expect(isFaceToFace({ kind: 'peer_visit', staffCount: 1 })).toBe(true);
    expect(isFaceToFace({ kind: 'peer_visit', staffCount: 0 })).toBe(false);
    expect(faceToFaceDays([c('2026-11-02', { kind: 'peer_visit', staffCount: 0 })], NOV)).toEqual([]);
  });

  it.each(['face_to_face', 'accompanied_outing', 'trial_stay', 'trial_service_use', 'home_visit'] as const)('counts %s', (kind) => {
    expect(faceToFaceDays([c('2026-11-09', { kind })], NOV)).toEqual(['2026-11-09']);
  });

  it('ignores contacts outside the month', () => {
    expect(faceToFaceDays([c('2026-10-31'), c('2026-12-01')], NOV)).toEqual([]);
  });

  describe('status and days remaining', () => {
    it('is met with two distinct days, even mid-month', () => {
      const a = assessMonth([c('2026-11-03'), c('2026-11-10')], NOV, '2026-11-15');
      expect(a).toEqual({ faceToFaceDays: ['2026-11-03', '2026-11-10'], faceToFaceDayCount: 2, daysNeeded: 0, daysRemaining: 16, status: 'met' });
    });

    it('is at_risk with one day while the month is not over, its last day included', () => {
      expect(assessMonth([c('2026-11-03')], NOV, '2026-11-30')).toMatchObject({ status: 'at_risk', daysNeeded: 1, daysRemaining: 1 });
    });

    it('is missed once the month is over', () => {
      expect(assessMonth([c('2026-11-03')], NOV, '2026-12-01')).toMatchObject({ status: 'missed', daysNeeded: 1, daysRemaining: 0 });
      expect(assessMonth([], NOV, '2027-05-01')).toMatchObject({ status: 'missed', faceToFaceDayCount: 0, daysNeeded: 2 });
    });

    it('counts the whole month as remaining before it begins', () => {
      expect(daysRemainingIn(NOV, '2026-10-20')).toBe(30);
      expect(daysRemainingIn(NOV, '2026-11-01')).toBe(30);
    });
  });
});
