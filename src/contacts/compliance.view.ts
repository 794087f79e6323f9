import { ApiProperty } from '@nestjs/swagger';

/** One enrollment's standing under the monthly face-to-face rule. */
export class ComplianceItemView {
  @ApiProperty({ format: 'uuid' }) enrollmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() familyName: string;
  @ApiProperty() givenName: string;
  @ApiProperty() familyNameKana: string;
  @ApiProperty() givenNameKana: string;
  @ApiProperty({ format: 'uuid' }) supportOfficeId: string;
  @ApiProperty() supportOfficeName: string;
  @ApiProperty({ format: 'uuid' }) hospitalId: string;
  @ApiProperty() hospitalName: string;
  @ApiProperty({ description: 'The enrollment’s step now' }) step: string;
  @ApiProperty({ format: 'date', description: 'First day of the month the enrollment was in granted/planned/supporting' }) coveredFrom: string;
  @ApiProperty({ format: 'date', description: 'Last day of the month it was (or is, until the month ends) in those steps' }) coveredTo: string;
  @ApiProperty({ description: 'Distinct face-to-face days in the month' }) faceToFaceDays: number;
  @ApiProperty({ type: [String], format: 'date' }) faceToFaceDates: string[];
  @ApiProperty({ description: 'Face-to-face days still needed (0 when met)' }) daysNeeded: number;
  @ApiProperty({ enum: ['met', 'at_risk', 'missed'], description: 'met ≥ 2 days · at_risk < 2 and the month not over · missed' })
  status: 'met' | 'at_risk' | 'missed';
  @ApiProperty({ description: 'Calendar days left in the month, today included (0 when over)' }) daysRemaining: number;
}

/** A benefit period (支給決定期間) ending within 30 days with no renewal granted yet. */
export class EndingBenefitPeriodView {
  @ApiProperty({ format: 'uuid' }) benefitPeriodId: string;
  @ApiProperty({ format: 'uuid' }) enrollmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() familyName: string;
  @ApiProperty() givenName: string;
  @ApiProperty() familyNameKana: string;
  @ApiProperty() givenNameKana: string;
  @ApiProperty() program: string;
  @ApiProperty() step: string;
  @ApiProperty({ format: 'uuid' }) supportOfficeId: string;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ description: 'Days from today to endsOn (0 = ends today)' }) daysLeft: number;
}

export class ComplianceCountsView {
  @ApiProperty() met: number;
  @ApiProperty() atRisk: number;
  @ApiProperty() missed: number;
}

/** The due list (DOMAIN.md §6) for one month. */
export class ComplianceView {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ format: 'date', description: 'Today in Tokyo, the reference for at_risk, daysRemaining and ending periods' }) asOf: string;
  @ApiProperty() isMonthOver: boolean;
  @ApiProperty() daysRemaining: number;
  @ApiProperty({ type: ComplianceCountsView }) counts: ComplianceCountsView;
  @ApiProperty({ type: [ComplianceItemView], description: 'Ordered by support office, then missed/at_risk/met, then kana' })
  items: ComplianceItemView[];
  @ApiProperty({ type: [EndingBenefitPeriodView], description: 'Active enrollments whose benefit period ends within 30 days of asOf, not yet renewed' })
  benefitPeriodsEnding: EndingBenefitPeriodView[];
}
