import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_KINDS, CONTACT_PLACES, type ContactKind, type ContactPlace } from './contact-kinds.js';

/** The fields shared by `contacts` (current revision) and `contact_revisions`. */
interface ContactFieldsRow {
  kind: ContactKind;
  occurred_on: string;
  ends_on: string | null;
  start_time: string | null;
  minutes: number | null;
  place: ContactPlace;
  staff_ids: string[];
  peer_supporter_ids: string[];
  summary: string | null;
}

/** A row of `contacts` joined with its enrollment's patient and its current revision's summary. */
export interface ContactRow extends ContactFieldsRow {
  id: string;
  enrollment_id: string;
  patient_id: string;
  revision: number;
  created_by_id: string;
  created_at: Date;
  updated_at: Date;
}

export interface RevisionRow extends ContactFieldsRow {
  revision: number;
  reason: string | null;
  recorded_by_id: string;
  recorded_at: Date;
}

/** pg returns `time` as HH:MM:SS; the API speaks HH:MM. */
const hhmm = (t: string | null) => (t === null ? null : t.slice(0, 5));

/** A contact (支援記録) as its current revision. */
export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enrollmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ description: 'Current revision (1 = as first recorded); also the ETag' }) revision: number;
  @ApiProperty({ enum: CONTACT_KINDS }) kind: ContactKind;
  @ApiProperty({ format: 'date' }) occurredOn: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'trial_stay: last day' }) endsOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '14:30' }) startTime: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) minutes: number | null;
  @ApiProperty({ enum: CONTACT_PLACES }) place: ContactPlace;
  @ApiProperty({ type: [String], format: 'uuid' }) staffIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) peerSupporterIds: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Narrative of the current revision (sensitive)' }) summary: string | null;
  @ApiProperty({ format: 'uuid' }) createdById: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'When the current revision was recorded' }) updatedAt: string;

  static of(r: ContactRow): ContactView {
    return {
      id: r.id,
      enrollmentId: r.enrollment_id,
      patientId: r.patient_id,
      revision: r.revision,
      kind: r.kind,
      occurredOn: r.occurred_on,
      endsOn: r.ends_on,
      startTime: hhmm(r.start_time),
      minutes: r.minutes,
      place: r.place,
      staffIds: r.staff_ids,
      peerSupporterIds: r.peer_supporter_ids,
      summary: r.summary,
      createdById: r.created_by_id,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

/** One stored revision: revision 1 as first recorded, every later one an amendment with its reason. */
export class ContactRevisionView {
  @ApiProperty() revision: number;
  @ApiProperty({ enum: CONTACT_KINDS }) kind: ContactKind;
  @ApiProperty({ format: 'date' }) occurredOn: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) endsOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) startTime: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) minutes: number | null;
  @ApiProperty({ enum: CONTACT_PLACES }) place: ContactPlace;
  @ApiProperty({ type: [String], format: 'uuid' }) staffIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) peerSupporterIds: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) summary: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Amendment reason (訂正理由); null for revision 1' }) reason: string | null;
  @ApiProperty({ format: 'uuid' }) recordedById: string;
  @ApiProperty() recordedAt: string;

  static of(r: RevisionRow): ContactRevisionView {
    return {
      revision: r.revision,
      kind: r.kind,
      occurredOn: r.occurred_on,
      endsOn: r.ends_on,
      startTime: hhmm(r.start_time),
      minutes: r.minutes,
      place: r.place,
      staffIds: r.staff_ids,
      peerSupporterIds: r.peer_supporter_ids,
      summary: r.summary,
      reason: r.reason,
      recordedById: r.recorded_by_id,
      recordedAt: new Date(r.recorded_at).toISOString(),
    };
  }
}

/** A contact with its full history, oldest revision first (真正性: corrections never hide the original). */
export class ContactDetailView extends ContactView {
  @ApiProperty({ type: [ContactRevisionView] }) history: ContactRevisionView[];
}

export class ContactPage {
  @ApiProperty({ type: [ContactView] }) items: ContactView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
