import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { todayInTokyo } from '../common/dates.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { type MatchingCandidate, rankCandidates } from './matching.js';
import { MatchingCandidateView, type MatchingProposalsView } from './matching.view.js';

interface CandidateRow {
  id: string;
  name: string;
  kind: 'support_office' | 'nurse_station';
  ward: string | null;
  case_capacity: number | null;
  active_enrollments: number;
  current_teams: number;
  teamed: boolean;
}

/**
 * Candidates for one hospital: active support offices and nurse stations. When the hospital names the
 * municipality whose area it is in (#12), only organizations of that area (or of no recorded area) are
 * candidates — ward names repeat across cities (中央区), so "same ward" only means something within one city.
 * Indexes: enrollments_office / enrollments_station (active enrollments), team_members_organization.
 */
const CANDIDATES_SQL = `
  SELECT o.id, o.name, o.kind, o.ward, o.case_capacity,
    CASE WHEN o.kind = 'support_office'
      THEN (SELECT count(*) FROM enrollments e WHERE e.support_office_id = o.id AND e.is_active)
      ELSE (SELECT count(*) FROM enrollments e WHERE e.nurse_station_id = o.id AND e.is_active)
    END::int AS active_enrollments,
    (SELECT count(DISTINCT tm.team_id) FROM team_members tm JOIN teams t ON t.id = tm.team_id
      WHERE tm.organization_id = o.id AND tm.left_on IS NULL AND (t.ended_on IS NULL OR t.ended_on >= $2))::int AS current_teams,
    EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
      WHERE tm.organization_id = o.id AND tm.left_on IS NULL AND t.hospital_id = $1
        AND (t.ended_on IS NULL OR t.ended_on >= $2)) AS teamed
  FROM organizations o
  WHERE o.kind IN ('support_office', 'nurse_station') AND o.active
    AND ($3::uuid IS NULL OR o.municipality_id IS NULL OR o.municipality_id = $3::uuid)`;

@Injectable()
export class MatchingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organizations: OrganizationsService,
  ) {}

  async proposals(hospitalId: string): Promise<MatchingProposalsView> {
    const hospital = await this.organizations.requireKind(hospitalId, 'hospital', 'hospitalId');
    const asOf = todayInTokyo();
    const rows = (await this.db.query(CANDIDATES_SQL, [
      hospitalId,
      asOf,
      hospital.municipality_id,
    ])) as CandidateRow[];
    const candidates = (kind: CandidateRow['kind']): MatchingCandidate[] =>
      rows
        .filter((r) => r.kind === kind)
        .map((r) => ({
          id: r.id,
          name: r.name,
          kind: r.kind,
          ward: r.ward,
          caseCapacity: r.case_capacity,
          activeEnrollments: r.active_enrollments,
          currentTeams: r.current_teams,
          alreadyTeamedWithHospital: r.teamed,
        }));
    return {
      hospitalId,
      hospitalName: hospital.name,
      hospitalWard: hospital.ward,
      asOf,
      ranking:
        'same ward first, then remaining capacity (support offices), then fewest current teams, then name and id',
      supportOffices: rankCandidates(hospital.ward, candidates('support_office')).map(
        MatchingCandidateView.of,
      ),
      nurseStations: rankCandidates(hospital.ward, candidates('nurse_station')).map(MatchingCandidateView.of),
    };
  }
}
