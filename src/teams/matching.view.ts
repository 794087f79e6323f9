import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RankedCandidate } from './matching.js';

/** One proposed support office or nurse station, with its rank, score and the reason in words. */
export class MatchingCandidateView {
  @ApiProperty({ description: '1 = best' }) rank: number;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['support_office', 'nurse_station'] }) kind: 'support_office' | 'nurse_station';
  @ApiPropertyOptional({ nullable: true, type: String, description: '区' }) ward: string | null;
  @ApiProperty({ description: 'Same ward (区) as the hospital' }) sameWard: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) caseCapacity: number | null;
  @ApiProperty({ description: 'Active enrollments assigned to it (stations: naming it)' })
  activeEnrollments: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Support offices: caseCapacity − activeEnrollments',
  })
  remainingCapacity: number | null;
  @ApiProperty({ description: 'Teams it is a current member of' }) currentTeams: number;
  @ApiProperty({ description: 'Already in a current team with this hospital' })
  alreadyTeamedWithHospital: boolean;
  @ApiProperty({
    description:
      'Higher ranks first: same ward × 10^8 + remaining capacity (0–9999) × 10^3 + (999 − current teams)',
  })
  score: number;
  @ApiProperty({ description: 'Why it ranks here, in words (Japanese)' }) reason: string;

  static of(c: RankedCandidate): MatchingCandidateView {
    return {
      rank: c.rank,
      organizationId: c.id,
      name: c.name,
      kind: c.kind,
      ward: c.ward,
      sameWard: c.sameWard,
      caseCapacity: c.caseCapacity,
      activeEnrollments: c.activeEnrollments,
      remainingCapacity: c.remainingCapacity,
      currentTeams: c.currentTeams,
      alreadyTeamedWithHospital: c.alreadyTeamedWithHospital,
      score: c.score,
      reason: c.reason,
    };
  }
}

export class MatchingProposalsView {
  @ApiProperty({ format: 'uuid' }) hospitalId: string;
  @ApiProperty() hospitalName: string;
  @ApiPropertyOptional({ nullable: true, type: String }) hospitalWard: string | null;
  @ApiProperty({ format: 'date', description: 'Capacity and team counts are as of this day (Asia/Tokyo)' })
  asOf: string;
  @ApiProperty({
    description: 'How candidates are ranked',
    example: 'same ward first, then remaining capacity, then fewest current teams, then name',
  })
  ranking: string;
  @ApiProperty({ type: [MatchingCandidateView] }) supportOffices: MatchingCandidateView[];
  @ApiProperty({ type: [MatchingCandidateView] }) nurseStations: MatchingCandidateView[];
}
