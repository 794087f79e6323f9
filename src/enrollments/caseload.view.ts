import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { daysBetween } from '../common/dates.js';
import { benefitDaysLeft, PatientSummaryView } from './enrollment.view.js';
import { ALL_STEPS, PROGRAMS, programOf, stepOf, type Program } from './programs.js';

export interface CaseloadRow {
  id: string;
  patient_id: string;
  program: Program;
  step: string;
  step_entered_on: string;
  started_on: string;
  started_on_recorded: boolean;
  team_id: string;
  support_office_id: string;
  nurse_station_id: string | null;
  hospital_id: string;
  version: number;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  bp_starts_on: string | null;
  bp_ends_on: string | null;
  last_contact_on: string | null;
  face_to_face_days: number | null;
}

/** One case on the caseload screen (the support office's daily screen). */
export class CaseloadItemView {
  @ApiProperty({ format: 'uuid' }) enrollmentId: string;
  @ApiProperty({ type: PatientSummaryView }) patient: PatientSummaryView;
  @ApiProperty({ enum: PROGRAMS }) program: Program;
  @ApiProperty() programLabel: string;
  @ApiProperty({ enum: ALL_STEPS }) step: string;
  @ApiProperty({ description: 'Japanese label of the step' }) stepLabel: string;
  @ApiProperty({ type: [String], enum: ALL_STEPS, description: 'Next steps the table allows' }) allowedNext: string[];
  @ApiProperty({ format: 'date', description: 'Date of referral; provisional when startedOnRecorded is false (see GET /enrollments/:id)' })
  startedOn: string;
  @ApiProperty({ description: 'false: the referral date was not given at registration and startedOn is provisional' })
  startedOnRecorded: boolean;
  @ApiProperty({ format: 'date' }) stepEnteredOn: string;
  @ApiProperty({ description: 'Days since the step was entered (Asia/Tokyo)' }) daysInStep: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: 'End of the current benefit period (支給決定期間)' })
  benefitPeriodEndsOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Days left in the current benefit period, today included; null without a period' })
  benefitDaysLeft: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: 'Date of the latest contact (any kind)' })
  lastContactOn: string | null;
  @ApiProperty({
    description:
      'Distinct days this calendar month (Asia/Tokyo) with face-to-face support (face_to_face, accompanied_outing, trial_stay — each day it covers —, ' +
      'trial_service_use, home_visit, peer_visit with staff)',
  })
  faceToFaceDaysThisMonth: number;
  @ApiProperty({ format: 'uuid' }) teamId: string;
  @ApiProperty({ format: 'uuid' }) supportOfficeId: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) nurseStationId: string | null;
  @ApiProperty({ format: 'uuid' }) hospitalId: string;
  @ApiProperty({ description: 'The ETag to send as If-Match when moving a step' }) version: number;

  static of(r: CaseloadRow, today: string): CaseloadItemView {
    const step = stepOf(r.program, r.step);
    return {
      enrollmentId: r.id,
      patient: {
        id: r.patient_id,
        familyName: r.family_name,
        givenName: r.given_name,
        familyNameKana: r.family_name_kana,
        givenNameKana: r.given_name_kana,
      },
      program: r.program,
      programLabel: programOf(r.program).label,
      step: r.step,
      stepLabel: step.label,
      allowedNext: [...step.next],
      startedOn: r.started_on,
      startedOnRecorded: r.started_on_recorded,
      stepEnteredOn: r.step_entered_on,
      daysInStep: Math.max(0, daysBetween(r.step_entered_on, today)),
      benefitPeriodEndsOn: r.bp_ends_on,
      benefitDaysLeft: r.bp_ends_on ? benefitDaysLeft(r.bp_ends_on, today) : null,
      lastContactOn: r.last_contact_on,
      faceToFaceDaysThisMonth: r.face_to_face_days ?? 0,
      teamId: r.team_id,
      supportOfficeId: r.support_office_id,
      nurseStationId: r.nurse_station_id,
      hospitalId: r.hospital_id,
      version: r.version,
    };
  }
}

export class CaseloadPage {
  @ApiProperty({ type: [CaseloadItemView], description: 'Active enrollments assigned to you, in 五十音順 (kana order)' }) items: CaseloadItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
