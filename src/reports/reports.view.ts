import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { Cell } from './report-maths.js';

/** A published count: an integer, or "<N" under suppression (`suppressBelow`, the comparison's other rows). */
const CELL: ApiPropertyOptions = {
  oneOf: [{ type: 'integer' }, { type: 'string', example: '<5' }],
  description: 'Count, or "<N" when suppressed',
};
const WITHHELD: ApiPropertyOptions = {
  type: [String],
  description: 'Fields withheld (null) because they derive from fewer people than the threshold',
};

/** What every report says about itself. */
export class ReportHeader {
  @ApiProperty({ example: 'discharges' }) report: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The one municipality (市区町村) the figures are for, if any',
  })
  municipalityId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Threshold of small-number suppression applied, if any',
  })
  suppressBelow: number | null;
}

export class DischargeRowView {
  @ApiPropertyOptional({
    example: '2025-04',
    description: 'groupBy=month (Asia/Tokyo calendar month of the discharge)',
  })
  month?: string;
  @ApiPropertyOptional({ example: 2025, description: 'groupBy=fiscalYear (年度, April–March)' })
  fiscalYear?: number;
  @ApiPropertyOptional({ format: 'uuid' }) hospitalId?: string;
  @ApiPropertyOptional() hospitalName?: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Team of the enrollment the discharge went through; null: none',
  })
  teamId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) teamName?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Programme the discharge went through; null: none',
  })
  program?: string | null;
  @ApiPropertyOptional({ description: '退院先' }) destination?: string;
  @ApiPropertyOptional({ description: '入院形態' }) admissionType?: string;
  @ApiProperty(CELL) discharges: Cell;
  @ApiProperty({ ...CELL, description: 'Discharges after a stay of ≥ 365 days (長期入院)' })
  longStayDischarges: Cell;
  @ApiProperty({
    ...CELL,
    description: 'Discharges through an enrollment (its step `discharged` during the stay)',
  })
  programDischarges: Cell;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Median days from enrollment start to discharge',
  })
  medianDaysEnrollmentToDischarge: number | null;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class DischargesReport extends ReportHeader {
  @ApiProperty({ type: [String] }) groupBy: string[];
  @ApiProperty({ type: DischargeRowView }) total: DischargeRowView;
  @ApiProperty({ type: [DischargeRowView], description: 'One row per group (empty without groupBy)' })
  rows: DischargeRowView[];
}

export class FunnelStepView {
  @ApiProperty() step: string;
  @ApiProperty() label: string;
  @ApiProperty(CELL) enrollments: Cell;
}

export class FunnelWithdrawalView {
  @ApiProperty({ example: 'declined' }) reason: string;
  @ApiProperty() label: string;
  @ApiProperty(CELL) enrollments: Cell;
}

export class FunnelProgramView {
  @ApiProperty() program: string;
  @ApiProperty() label: string;
  @ApiProperty({ ...CELL, description: 'Enrollments started in the year' }) started: Cell;
  @ApiProperty({
    type: [FunnelStepView],
    description: 'Enrollments reaching each step in the year (step table order)',
  })
  steps: FunnelStepView[];
  @ApiProperty({ type: [FunnelWithdrawalView] }) withdrawals: FunnelWithdrawalView[];
}

export class FunnelReport extends ReportHeader {
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ type: [FunnelProgramView] }) programs: FunnelProgramView[];
}

export class NationalTargetsView {
  @ApiProperty({
    description: 'Where the reference values come from: the NATIONAL targets, not this municipality’s',
  })
  source: string;
  @ApiProperty({ example: 325.3 }) communityLivingDays: number;
  @ApiProperty({ example: { 3: 68.9, 6: 84.5, 12: 91.0 } }) dischargeRatePercent: Record<number, number>;
}

export class ReadmissionWindowView {
  @ApiProperty({ example: 3 }) months: number;
  @ApiProperty({
    example: 90,
    description: 'A readmission on day d after the discharge day counts when d ≤ withinDays',
  })
  withinDays: number;
  @ApiProperty({ ...CELL, description: 'Discharges whose window is over' }) observed: Cell;
  @ApiProperty(CELL) readmitted: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) ratePercent: number | null;
  @ApiProperty({ ...CELL, description: 'Discharges whose window is not over yet' }) pending: Cell;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class ReadmissionView {
  @ApiProperty({
    ...CELL,
    description: 'Discharges to the community in the year (death and transfer excluded)',
  })
  discharges: Cell;
  @ApiProperty({ type: [ReadmissionWindowView] }) windows: ReadmissionWindowView[];
}

export class CommunityLivingDaysView {
  @ApiProperty({ ...CELL, description: 'Discharges whose following 365 days are over' }) observed: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '退院後1年以内の地域での平均生活日数' })
  meanDays: number | null;
  @ApiProperty(CELL) pending: Cell;
  @ApiProperty({ description: 'NATIONAL target (reference): 325.3 days' }) nationalTarget: number;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class DischargeRateWindowView {
  @ApiProperty() months: number;
  @ApiProperty() withinDays: number;
  @ApiProperty({ ...CELL, description: 'Admissions whose window is over' }) observed: Cell;
  @ApiProperty(CELL) discharged: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) ratePercent: number | null;
  @ApiProperty({ description: 'NATIONAL target (reference)' }) nationalTargetPercent: number;
  @ApiProperty(CELL) pending: Cell;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class DischargeRatesView {
  @ApiProperty({ ...CELL, description: 'Admissions begun in the year' }) admissions: Cell;
  @ApiProperty({ type: [DischargeRateWindowView] }) windows: DischargeRateWindowView[];
}

export class OutcomesReport extends ReportHeader {
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ format: 'date', description: 'Windows are judged as of this day (today, Asia/Tokyo)' })
  asOf: string;
  @ApiProperty({ type: NationalTargetsView }) nationalTargets: NationalTargetsView;
  @ApiProperty({ type: ReadmissionView }) readmission: ReadmissionView;
  @ApiProperty({ type: CommunityLivingDaysView }) communityLivingDays: CommunityLivingDaysView;
  @ApiProperty({ type: DischargeRatesView }) dischargeRates: DischargeRatesView;
}

export class ContactKindView {
  @ApiProperty() kind: string;
  @ApiProperty() label: string;
  @ApiProperty(CELL) contacts: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) perEnrollmentMonth: number | null;
}

export class IntensityBandView {
  @ApiProperty({ enum: ['<2', '2-3', '4-7', '>=8'], description: 'Face-to-face days per enrollment-month' })
  band: string;
  @ApiProperty(CELL) enrollments: Cell;
  @ApiProperty(CELL) discharged: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) ratePercent: number | null;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class ApproachView {
  @ApiProperty({ enum: ['trial', 'accompaniment', 'peer'] }) approach: string;
  @ApiProperty({
    description: 'true: enrollments that used it in their in-hospital phase; false: those that did not',
  })
  used: boolean;
  @ApiProperty(CELL) enrollments: Cell;
  @ApiProperty(CELL) discharged: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) ratePercent: number | null;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class ApproachShareView {
  @ApiProperty() approach: string;
  @ApiProperty({ type: [String] }) kinds: string[];
  @ApiProperty(CELL) contacts: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Share of the cohort’s contacts' })
  shareOfContactsPercent: number | null;
}

export class ContactIntensityReport extends ReportHeader {
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ ...CELL, description: 'Enrollments open in the year' }) enrollments: Cell;
  @ApiProperty({ ...CELL, description: 'Calendar months in which they were open' }) enrollmentMonths: Cell;
  @ApiProperty(CELL) contacts: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) contactsPerEnrollmentMonth: number | null;
  @ApiProperty(CELL) faceToFaceDays: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) faceToFaceDaysPerEnrollmentMonth: number | null;
  @ApiProperty({ type: [ContactKindView] }) byKind: ContactKindView[];
  @ApiProperty({
    ...CELL,
    description: 'Band cohort: transition / post-involuntary enrollments in their in-hospital phase',
  })
  cohortEnrollments: Cell;
  @ApiProperty({ type: [IntensityBandView] }) bands: IntensityBandView[];
  @ApiProperty({ type: [ApproachView] }) approaches: ApproachView[];
  @ApiProperty({ type: [ApproachShareView] }) approachShares: ApproachShareView[];
  @ApiProperty(WITHHELD) withheld: string[];
}

export class HospitalSessionsView {
  @ApiProperty({ format: 'uuid' }) hospitalId: string;
  @ApiProperty() hospitalName: string;
  @ApiProperty(CELL) sessions: Cell;
}

export class IndicatorView {
  @ApiProperty({ example: 'transition_program_sessions' }) code: string;
  @ApiProperty({ description: '指標' }) name: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: ['higher', 'lower'], description: 'Which way is better' }) direction: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '指標の設定理由' }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '現状値 (baseline)' }) baseline:
    number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) baselineText: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '目標値 (target)' }) target:
    number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetText: string | null;
  @ApiProperty({
    enum: ['municipality', 'deployment', 'default'],
    description:
      'Stored for the municipality, stored deployment-wide, or the built-in default (the seed sheet)',
  })
  targetSource: string;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Version (ETag) of the stored target row',
  })
  targetVersion: number | null;
  @ApiPropertyOptional({
    ...CELL,
    nullable: true,
    description:
      'Actual, computed from the data (null: no figure, e.g. no hospital reported its long-stay count)',
  })
  actual: Cell | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Boolean,
    description: 'actual meets target (≥, or ≤ for long-stay inpatients); null without a target',
  })
  met: boolean | null;
  @ApiPropertyOptional({
    type: [HospitalSessionsView],
    description: 'transition_program_sessions: sessions per hospital (every hospital in scope listed)',
  })
  perHospital?: HospitalSessionsView[];
  @ApiPropertyOptional({
    description: 'transition_program_sessions: every hospital in scope held ≥ 1 session',
  })
  everyHospitalHasSession?: boolean;
  @ApiPropertyOptional({
    description: 'peer_involvement: contacts and events',
    example: { contacts: 3, events: 1 },
  })
  breakdown?: Record<string, Cell>;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'long_stay_inpatients: latest as-of date of the figures',
  })
  asOf?: string | null;
}

export class IndicatorsReport extends ReportHeader {
  @ApiProperty() fiscalYear: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Whose targets apply (null: deployment-wide / defaults)',
  })
  targetsMunicipalityId: string | null;
  @ApiProperty({ type: [IndicatorView] }) indicators: IndicatorView[];
}

export class ComparisonRowView {
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty({ description: 'The caller’s own municipality: exact figures' }) isOwn: boolean;
  @ApiProperty(CELL) enrollmentsStarted: Cell;
  @ApiProperty({ ...CELL, description: 'Enrollments open in the year (the people the rates derive from)' })
  enrollmentsOpen: Cell;
  @ApiProperty(CELL) discharges: Cell;
  @ApiProperty(CELL) longStayDischarges: Cell;
  @ApiProperty(CELL) programDischarges: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianDaysEnrollmentToDischarge: number | null;
  @ApiProperty(CELL) transitionProgramSessions: Cell;
  @ApiProperty(CELL) hospitalsReached: Cell;
  @ApiProperty({ ...CELL, description: 'Contacts and events with peer supporters' }) peerInvolvement: Cell;
  @ApiPropertyOptional({ nullable: true, type: Number }) faceToFaceDaysPerEnrollmentMonth: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Object,
    description: 'Share (%) of each contact kind — the approach',
    example: { face_to_face: 70, phone: 30 },
  })
  contactKindSharesPercent: Record<string, number> | null;
  @ApiProperty(WITHHELD) withheld: string[];
}

export class ComparisonReport {
  @ApiProperty({ example: 'comparison' }) report: string;
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The prefecture (都道府県) compared; null: the whole deployment',
  })
  prefectureId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) ownMunicipalityId: string | null;
  @ApiProperty({
    description:
      'Counts 1 to N−1 of other municipalities read "<N"; their rates from fewer than N people are withheld',
  })
  suppressBelow: number;
  @ApiProperty({ type: [ComparisonRowView] }) rows: ComparisonRowView[];
}
