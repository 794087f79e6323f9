import { describe, expect, it } from '@jest/globals';
import { type MatchingCandidate, rankCandidates } from './matching.js';

const office = (o: Partial<MatchingCandidate> & { id: string; name: string }): MatchingCandidate => ({
  kind: 'support_office',
  ward: '若葉区',
  caseCapacity: 10,
  activeEnrollments: 0,
  currentTeams: 0,
  alreadyTeamedWithHospital: false,
  ...o,
});

describe('matching proposals ranking', () => {
  it('ranks same ward first, then remaining capacity, then fewest teams, then name', () => {
    const ranked = rankCandidates('若葉区', [
      office({ id: '1', name: 'E-other-ward-huge', ward: '緑区', caseCapacity: 500 }),
      office({ id: '2', name: 'B-same-ward-cap5', caseCapacity: 10, activeEnrollments: 5 }),
      office({ id: '3', name: 'A-same-ward-cap8', caseCapacity: 8 }),
      office({ id: '4', name: 'D-same-ward-cap5-2teams', caseCapacity: 5, currentTeams: 2 }),
      office({ id: '5', name: 'C-same-ward-cap5-2teams', caseCapacity: 5, currentTeams: 2 }),
      office({ id: '6', name: 'F-no-ward', ward: null, caseCapacity: 50 }),
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['3', '2', '5', '4', '1', '6']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    // Scores strictly decrease along the ranking except for true ties (broken by name).
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
    expect(ranked[2].score).toBe(ranked[3].score);
    expect(ranked[3].score).toBeGreaterThan(ranked[4].score);
  });

  it('explains each score in words', () => {
    const [first, second] = rankCandidates('若葉区', [
      office({ id: 'x', name: 'X', caseCapacity: 20, activeEnrollments: 2, currentTeams: 1 }),
      office({
        id: 'y',
        name: 'Y',
        ward: '緑区',
        caseCapacity: null,
        activeEnrollments: 1,
        alreadyTeamedWithHospital: true,
      }),
    ]);
    expect(first.reason).toBe(
      '病院と同じ区（若葉区）・残り受入枠 18（定員 20 − 利用中 2）・現在のチーム数 1',
    );
    expect(first).toMatchObject({ sameWard: true, remainingCapacity: 18 });
    expect(second.reason).toContain('別の区（緑区）');
    expect(second.reason).toContain('受入定員が未登録');
    expect(second.reason).toContain('この病院のチームに参加中');
    expect(second.remainingCapacity).toBe(-1);
  });

  it('treats an over-booked office like one with no room left', () => {
    const ranked = rankCandidates('若葉区', [
      office({ id: 'over', name: 'A', caseCapacity: 2, activeEnrollments: 5 }),
      office({ id: 'full', name: 'B', caseCapacity: 2, activeEnrollments: 2, currentTeams: 1 }),
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['over', 'full']); // both 0 room: fewer teams wins
    expect(ranked[0].remainingCapacity).toBe(-3);
  });

  it('ranks nurse stations by ward and teams only', () => {
    const ranked = rankCandidates('緑区', [
      {
        ...office({ id: 's1', name: 'S1', ward: '緑区', currentTeams: 3 }),
        kind: 'nurse_station',
        caseCapacity: null,
      },
      {
        ...office({ id: 's2', name: 'S2', ward: '緑区', currentTeams: 1, activeEnrollments: 9 }),
        kind: 'nurse_station',
        caseCapacity: null,
      },
      { ...office({ id: 's3', name: 'S0', ward: '若葉区' }), kind: 'nurse_station', caseCapacity: null },
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['s2', 's1', 's3']);
    expect(ranked[0].remainingCapacity).toBeNull();
    expect(ranked[0].reason).toContain('受入定員で比べない');
  });

  it('is deterministic whatever the input order, and does not depend on the hospital having a ward', () => {
    const list = [
      office({ id: 'b', name: 'same' }),
      office({ id: 'a', name: 'same' }),
      office({ id: 'c', name: 'zz' }),
    ];
    const one = rankCandidates(null, list).map((r) => r.id);
    const two = rankCandidates(null, [...list].reverse()).map((r) => r.id);
    expect(one).toEqual(['a', 'b', 'c']);
    expect(two).toEqual(one);
    expect(rankCandidates(null, list).every((r) => !r.sameWard)).toBe(true);
  });
});
