import { describe, expect, it } from '@jest/globals';
import { roleOrganizationProblem } from './role-fit.js';

describe('role fits organization kind', () => {
  it.each([
    ['hospital_staff', 'hospital'],
    ['support_office_staff', 'support_office'],
    ['nurse_staff', 'nurse_station'],
    ['municipal_officer', 'municipality'],
    ['prefectural_officer', 'prefecture'],
  ] as const)('%s belongs to a %s', (role, kind) => {
    expect(roleOrganizationProblem(role, kind)).toBeNull();
  });

  it('refuses an organization of another kind', () => {
    expect(roleOrganizationProblem('hospital_staff', 'support_office')).toBe('role hospital_staff needs an organization of kind hospital, not support_office');
    expect(roleOrganizationProblem('prefectural_officer', 'municipality')).toMatch(/kind prefecture/);
  });

  it('refuses a missing organization for every role but admin', () => {
    expect(roleOrganizationProblem('nurse_staff', null)).toBe('role nurse_staff needs an organization of kind nurse_station');
    expect(roleOrganizationProblem('admin', null)).toBeNull();
    expect(roleOrganizationProblem('admin', 'hospital')).toBeNull();
  });
});
