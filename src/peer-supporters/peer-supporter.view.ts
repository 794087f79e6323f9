import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TrainingSessionView } from './training-session.view.js';

export interface PeerSupporterRow {
  id: string;
  display_name: string;
  affiliation_id: string | null;
  municipality_id: string | null;
  trained_on: string | null;
  trained_outside_on: string | null;
  employed_by_id: string | null;
  employed_since: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A peer supporter (ピアサポーター) as the API shows it. */
export class PeerSupporterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Name shown to staff (a pseudonym is fine)' }) displayName: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Organization the peer belongs to (所属)' })
  affiliationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Municipality (市区町村) that manages this peer' })
  municipalityId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Read-only: completed 養成研修 on — the earliest supporter_training event listing the peer, or trainedOutsideOn if earlier',
  })
  trainedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: '養成研修 completed outside Kizuna' })
  trainedOutsideOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Peer employment (ピア雇用): employer' })
  employedById: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) employedSince: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: PeerSupporterRow): PeerSupporterView {
    return {
      id: r.id,
      displayName: r.display_name,
      affiliationId: r.affiliation_id,
      municipalityId: r.municipality_id,
      trainedOn: r.trained_on,
      trainedOutsideOn: r.trained_outside_on,
      employedById: r.employed_by_id,
      employedSince: r.employed_since,
      active: r.active,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

/** One peer with the training sessions (養成研修) it attended. */
export class PeerSupporterDetailView extends PeerSupporterView {
  @ApiProperty({ type: [TrainingSessionView], description: 'supporter_training events listing this peer, oldest first' })
  trainingSessions: TrainingSessionView[];
}

export class PeerSupporterPage {
  @ApiProperty({ type: [PeerSupporterView] }) items: PeerSupporterView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
