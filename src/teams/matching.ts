/**
 * Matching proposals (DOMAIN.md §3): for a hospital, rank support offices and nurse stations by
 * (1) same ward as the hospital, (2) remaining case capacity (support offices only), (3) fewest current teams,
 * then name and id so the order is fully deterministic. Every candidate carries its score and the reason in
 * words, so a municipal officer can see why an office is proposed ("no black box").
 */

export interface MatchingCandidate {
  id: string;
  name: string;
  kind: 'support_office' | 'nurse_station';
  ward: string | null;
  /** Support offices: concurrent transition enrollments they can hold; null when not recorded / stations. */
  caseCapacity: number | null;
  /** Active enrollments assigned to the office (or naming the station). */
  activeEnrollments: number;
  /** Teams the organization is currently a member of. */
  currentTeams: number;
  /** Already a current member of a team with this hospital. */
  alreadyTeamedWithHospital: boolean;
}

export interface RankedCandidate extends MatchingCandidate {
  rank: number;
  sameWard: boolean;
  remainingCapacity: number | null;
  score: number;
  reason: string;
}

// The score encodes the ranking keys in fixed-width "digits" so that a higher score always ranks higher:
// same ward (×10^8), remaining capacity clamped to 0..9999 (×10^3), 999 − teams clamped to 0..999.
const WARD_WEIGHT = 100_000_000;
const CAPACITY_WEIGHT = 1_000;
const MAX_CAPACITY_DIGITS = 9_999;
const MAX_TEAMS_DIGITS = 999;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function reasonOf(
  c: MatchingCandidate,
  sameWard: boolean,
  hospitalWard: string | null,
  remaining: number | null,
): string {
  const parts: string[] = [];
  if (sameWard) parts.push(`病院と同じ区（${hospitalWard}）`);
  else if (!c.ward || !hospitalWard) parts.push('区が未登録のため同区とはみなさない');
  else parts.push(`病院（${hospitalWard}）とは別の区（${c.ward}）`);
  if (c.kind === 'support_office') {
    if (c.caseCapacity === null)
      parts.push(`受入定員が未登録（利用中 ${c.activeEnrollments}件）のため残り枠 0 とみなす`);
    else parts.push(`残り受入枠 ${remaining}（定員 ${c.caseCapacity} − 利用中 ${c.activeEnrollments}）`);
  } else {
    parts.push(`訪問看護ステーションは受入定員で比べない（担当中 ${c.activeEnrollments}件）`);
  }
  parts.push(`現在のチーム数 ${c.currentTeams}`);
  if (c.alreadyTeamedWithHospital) parts.push('この病院のチームに参加中');
  return parts.join('・');
}

/** Rank one kind of candidates for a hospital in `hospitalWard`. Input order does not matter. */
export function rankCandidates(
  hospitalWard: string | null,
  candidates: readonly MatchingCandidate[],
): RankedCandidate[] {
  const scored = candidates.map((c) => {
    const sameWard = hospitalWard !== null && c.ward !== null && c.ward === hospitalWard;
    const remaining = c.kind === 'support_office' ? (c.caseCapacity ?? 0) - c.activeEnrollments : null;
    const capacityKey = remaining === null ? 0 : clamp(remaining, 0, MAX_CAPACITY_DIGITS);
    const teamsKey = MAX_TEAMS_DIGITS - clamp(c.currentTeams, 0, MAX_TEAMS_DIGITS);
    const score = (sameWard ? WARD_WEIGHT : 0) + capacityKey * CAPACITY_WEIGHT + teamsKey;
    return {
      ...c,
      sameWard,
      remainingCapacity: remaining,
      score,
      reason: reasonOf(c, sameWard, hospitalWard, remaining),
      rank: 0,
    };
  });
  scored.sort((a, b) => b.score - a.score || compareText(a.name, b.name) || compareText(a.id, b.id));
  scored.forEach((c, i) => (c.rank = i + 1));
  return scored;
}

/** Code-point order: the same on every machine and locale (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
