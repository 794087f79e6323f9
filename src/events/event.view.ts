import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { fiscalYearOf } from '../common/dates.js';
import { AttendanceView } from './attendance.view.js';
import { EVENT_KINDS, type EventKind } from './event-kinds.js';

/** An events row with its attendance and peers aggregated (see EVENT_SELECT in events.service.ts). */
export interface EventRow {
  id: string;
  kind: EventKind;
  held_on: string;
  title: string;
  host_id: string;
  hospital_id: string | null;
  municipality_id: string | null;
  notes: string | null;
  attendance: AttendanceView[];
  peer_supporter_ids: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** An event (会議・研修) as the API shows it. Holds no patient data. */
export class EventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EVENT_KINDS }) kind: EventKind;
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty({ description: 'Fiscal year (年度, April–March) of heldOn' }) fiscalYear: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid' }) hostId: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) hospitalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Municipality (市区町村) the event belongs to' })
  municipalityId: string | null;
  @ApiProperty({ type: [AttendanceView], description: 'Ordered by organizationId' }) attendance: AttendanceView[];
  @ApiProperty({ description: 'Sum of the attendance head counts' }) totalHeadcount: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Ordered by id' }) peerSupporterIds: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: EventRow): EventView {
    return {
      id: r.id,
      kind: r.kind,
      heldOn: r.held_on,
      fiscalYear: fiscalYearOf(r.held_on),
      title: r.title,
      hostId: r.host_id,
      hospitalId: r.hospital_id,
      municipalityId: r.municipality_id,
      attendance: r.attendance,
      totalHeadcount: r.attendance.reduce((sum, a) => sum + a.headcount, 0),
      peerSupporterIds: r.peer_supporter_ids,
      notes: r.notes,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class EventPage {
  @ApiProperty({ type: [EventView] }) items: EventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
