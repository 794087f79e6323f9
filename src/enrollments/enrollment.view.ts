import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { daysBetween } from '../common/dates.js';
import { ALL_STEPS, PROGRAMS, programOf, stepOf, WITHDRAWAL_REASONS, type Program } from './programs.js';

/** An enrollment joined with its patient's name and its current benefit period (see enrollments.sql.ts). */
export interface EnrollmentRow {
  id: string;
  patient_id: string;
  program: Program;
  team_id: string;
  support_office_id: string;
  nurse_station_id: string | null;
  hospital_id: string;
  municipality_id: string;
  step: string;
  is_active: boolean;
  started_on: string;
  started_on_recorded: boolean;
  step_entered_on: string;
  ended_on: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  patient_hospital_id: string;
  responsible_municipality_id: string | null;
  bp_id: string | null;
  bp_starts_on: string | null;
  bp_ends_on: string | null;
  bp_is_renewal: boolean | null;
  bp_granted_by_id: string | null;
  bp_created_at: Date | null;
}

export interface BenefitPeriodRow {
  id: string;
  enrollment_id: string;
  starts_on: string;
  ends_on: string;
  is_renewal: boolean;
  granted_by_id: string | null;
  created_at: Date;
}

export interface StepRow {
  id: string;
  from_step: string | null;
  to_step: string;
  occurred_on: string;
  actor_id: string | null;
  actor_role: string | null;
  on_behalf_of_id: string | null;
  note: string | null;
  reason: string | null;
  created_at: Date;
}

export class PatientSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '氏' }) familyName: string;
  @ApiProperty({ description: '名' }) givenName: string;
  @ApiProperty({ description: '氏（フリガナ）' }) familyNameKana: string;
  @ApiProperty({ description: '名（フリガナ）' }) givenNameKana: string;
}

export class BenefitPeriodView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date', description: '支給決定期間の開始日' }) startsOn: string;
  @ApiProperty({ format: 'date', description: '支給決定期間の終了日' }) endsOn: string;
  @ApiProperty({ description: 'A renewal (更新) following on from the previous period' }) isRenewal: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'User who recorded the grant' }) grantedById: string | null;
  @ApiProperty() createdAt: string;

  static of(r: BenefitPeriodRow): BenefitPeriodView {
    return {
      id: r.id,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      isRenewal: r.is_renewal,
      grantedById: r.granted_by_id,
      createdAt: new Date(r.created_at).toISOString(),
    };
  }
}

export class CurrentBenefitPeriodView extends BenefitPeriodView {
  @ApiProperty({ enum: ['running', 'upcoming', 'expired'], description: 'Whether today (Asia/Tokyo) is inside, before or after the period' })
  status: 'running' | 'upcoming' | 'expired';
  @ApiProperty({ description: 'Days from today to the end of the period, both counted (the last day = 1); 0 once it has ended' })
  daysLeft: number;
}

/** The period that matters today: the one running, else the next one, else the last one (see enrollments.sql.ts). */
export function currentBenefitPeriod(r: EnrollmentRow, today: string): CurrentBenefitPeriodView | null {
  if (!r.bp_id || !r.bp_starts_on || !r.bp_ends_on) return null;
  const status = r.bp_starts_on > today ? 'upcoming' : r.bp_ends_on < today ? 'expired' : 'running';
  return {
    ...BenefitPeriodView.of({
      id: r.bp_id,
      enrollment_id: r.id,
      starts_on: r.bp_starts_on,
      ends_on: r.bp_ends_on,
      is_renewal: r.bp_is_renewal ?? false,
      granted_by_id: r.bp_granted_by_id,
      created_at: r.bp_created_at ?? r.created_at,
    }),
    status,
    daysLeft: benefitDaysLeft(r.bp_ends_on, today),
  };
}

/** Days left in a benefit period ending `endsOn`, today included; 0 once it has ended. */
export function benefitDaysLeft(endsOn: string, today: string): number {
  return Math.max(0, daysBetween(today, endsOn) + 1);
}

export class StepHistoryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ nullable: true, type: String, enum: ALL_STEPS, description: 'null for the first step' }) from: string | null;
  @ApiProperty({ enum: ALL_STEPS }) to: string;
  @ApiProperty({ description: 'Japanese label of `to`' }) toLabel: string;
  @ApiProperty({
    format: 'date',
    description:
      'When the step happened. For the first step of an undated referral (the enrollment’s startedOnRecorded false) this is the ' +
      'enrollment’s provisional startedOn, not the day it was registered (that is recordedAt).',
  })
  occurredOn: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) actorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorRole: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Set when a support office recorded the grant on behalf of the municipality (the team’s municipality)',
  })
  onBehalfOfId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, enum: WITHDRAWAL_REASONS }) reason: string | null;
  @ApiProperty() recordedAt: string;

  /**
   * The stored history row is append-only; the first row of an undated referral keeps the registration day as its
   * occurred_on, while the referral's (provisional) date lives in enrollments.started_on, which later moves and
   * contacts lower — so that row is shown with started_on.
   */
  static of(e: Pick<EnrollmentRow, 'program' | 'started_on' | 'started_on_recorded'>, r: StepRow): StepHistoryView {
    const undatedReferral = r.from_step === null && !e.started_on_recorded;
    return {
      id: r.id,
      from: r.from_step,
      to: r.to_step,
      toLabel: stepOf(e.program, r.to_step).label,
      occurredOn: undatedReferral ? e.started_on : r.occurred_on,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      onBehalfOfId: r.on_behalf_of_id,
      note: r.note,
      reason: r.reason,
      recordedAt: new Date(r.created_at).toISOString(),
    };
  }
}

/** An enrollment (支援の利用) as lists show it. */
export class EnrollmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PatientSummaryView }) patient: PatientSummaryView;
  @ApiProperty({ enum: PROGRAMS }) program: Program;
  @ApiProperty({ description: 'Japanese name of the programme' }) programLabel: string;
  @ApiProperty({ format: 'uuid' }) teamId: string;
  @ApiProperty({ format: 'uuid', description: 'Assigned support office (相談支援事業所)' }) supportOfficeId: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Nurse station (訪問看護ステーション)' })
  nurseStationId: string | null;
  @ApiProperty({ format: 'uuid', description: "The patient's hospital when the enrollment began" }) hospitalId: string;
  @ApiProperty({ format: 'uuid', description: "The team's municipality" }) municipalityId: string;
  @ApiProperty({ enum: ALL_STEPS, description: 'Current step (段階); see GET /programs' }) step: string;
  @ApiProperty({ description: 'Japanese label of the step' }) stepLabel: string;
  @ApiProperty({ type: [String], enum: ALL_STEPS, description: 'Steps it may move to next (from the step table)' }) allowedNext: string[];
  @ApiProperty() isActive: boolean;
  @ApiProperty({
    format: 'date',
    description:
      'Date of referral (the first step). When startedOnRecorded is false it was not given at registration and is provisional: the ' +
      'registration day, lowered to the date of the first move or of any contact recorded with an earlier date.',
  })
  startedOn: string;
  @ApiProperty({
    description:
      'true: startedOn was given when the enrollment was created (the date rules are strict). false: the referral date is not ' +
      'recorded — the first move out of the first step and contacts may predate startedOn (and then lower it).',
  })
  startedOnRecorded: boolean;
  @ApiProperty({ format: 'date' }) stepEnteredOn: string;
  @ApiProperty({ description: 'Days since the current step was entered (Asia/Tokyo calendar)' }) daysInStep: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) endedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: CurrentBenefitPeriodView, description: '支給決定期間: the one running today, else the next, else the last' })
  currentBenefitPeriod: CurrentBenefitPeriodView | null;
  @ApiProperty({ description: 'Send as If-Match (the ETag) when moving a step' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: EnrollmentRow, today: string): EnrollmentView {
    return {
      id: r.id,
      patient: {
        id: r.patient_id,
        familyName: r.family_name,
        givenName: r.given_name,
        familyNameKana: r.family_name_kana,
        givenNameKana: r.given_name_kana,
      },
      program: r.program,
      programLabel: programOf(r.program).label,
      teamId: r.team_id,
      supportOfficeId: r.support_office_id,
      nurseStationId: r.nurse_station_id,
      hospitalId: r.hospital_id,
      municipalityId: r.municipality_id,
      step: r.step,
      stepLabel: stepOf(r.program, r.step).label,
      allowedNext: [...stepOf(r.program, r.step).next],
      isActive: r.is_active,
      startedOn: r.started_on,
      startedOnRecorded: r.started_on_recorded,
      stepEnteredOn: r.step_entered_on,
      daysInStep: Math.max(0, daysBetween(r.step_entered_on, today)),
      endedOn: r.ended_on,
      currentBenefitPeriod: currentBenefitPeriod(r, today),
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

/** One enrollment with its full step history (append-only, oldest first). */
export class EnrollmentDetailView extends EnrollmentView {
  @ApiProperty({ type: [StepHistoryView], description: 'Every step it went through, oldest first' }) history: StepHistoryView[];
}

export class EnrollmentPage {
  @ApiProperty({ type: [EnrollmentView] }) items: EnrollmentView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class BenefitPeriodPage {
  @ApiProperty({ type: [BenefitPeriodView], description: 'Oldest first; never more than a few, so one page' }) items: BenefitPeriodView[];
  @ApiProperty({ nullable: true, type: String, description: 'Always null' }) nextCursor: string | null;
}
