import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADMISSION_TYPES, type AdmissionType } from '../admissions/dto/admission.dto.js';
import { isLongStay, lengthOfStayDays } from '../admissions/stay.js';
import { SEXES, type Sex } from './dto/patient.dto.js';

export interface PatientRow {
  id: string;
  hospital_id: string;
  record_number: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  birth_date: string;
  sex: Sex;
  responsible_municipality_id: string | null;
  residence_ward: string | null;
  consent_on: string | null;
  consent_scope: string | null;
  closed_on: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** The open admission (LEFT JOIN), if any. */
  adm_id: string | null;
  adm_type: AdmissionType | null;
  adm_admitted_on: string | null;
  adm_ward: string | null;
  /** Active enrollments the caller may see, from a json_agg (already camelCase). */
  enrollments: CurrentEnrollmentView[] | null;
}

/** The open admission of a patient, with its derived length of stay. */
export class CurrentAdmissionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ADMISSION_TYPES, description: '入院形態' }) admissionType: AdmissionType;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '病棟' }) hospitalWard: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Days since admission at asOf (admission day = 0)',
  })
  lengthOfStayDays: number | null;
  @ApiProperty({ description: '長期入院: ≥ 365 days at asOf' }) longStay: boolean;
}

/** An active enrollment (支援の利用) of the patient and its current step. */
export class CurrentEnrollmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'community_transition' }) program: string;
  @ApiProperty({ example: 'supporting' }) step: string;
  @ApiProperty({ format: 'date' }) stepEnteredOn: string;
  @ApiProperty({ format: 'uuid' }) teamId: string;
  @ApiProperty({ format: 'uuid' }) supportOfficeId: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) nurseStationId: string | null;
}

/** A patient (入院患者 / 利用者): 要配慮個人情報 — every read of this view is audited. */
export class PatientView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The hospital the patient is registered at' })
  hospitalId: string;
  @ApiProperty({ description: 'カルテ番号 (unique per hospital)' }) recordNumber: string;
  @ApiProperty({ description: '姓' }) familyName: string;
  @ApiProperty({ description: '名' }) givenName: string;
  @ApiProperty({ description: 'セイ' }) familyNameKana: string;
  @ApiProperty({ description: 'メイ' }) givenNameKana: string;
  @ApiProperty({ format: 'date' }) birthDate: string;
  @ApiProperty({ enum: SEXES }) sex: Sex;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: '援護市町村 (responsible municipality)',
  })
  responsibleMunicipalityId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Ward (区) of residence before admission',
  })
  residenceWard: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: '情報共有の同意日' })
  consentOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '同意の範囲' }) consentScope:
    string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Closed records are kept, never deleted',
  })
  closedOn: string | null;
  @ApiProperty({ format: 'date', description: 'Reference day of the derived admission fields' }) asOf: string;
  @ApiPropertyOptional({
    nullable: true,
    type: CurrentAdmissionView,
    description: 'The open admission, if any',
  })
  currentAdmission: CurrentAdmissionView | null;
  @ApiProperty({
    type: [CurrentEnrollmentView],
    description: 'Active enrollments (you may see) and their current step',
  })
  currentEnrollments: CurrentEnrollmentView[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: PatientRow, asOf: string): PatientView {
    let currentAdmission: CurrentAdmissionView | null = null;
    if (r.adm_id && r.adm_type && r.adm_admitted_on) {
      const los = lengthOfStayDays(r.adm_admitted_on, null, asOf);
      currentAdmission = {
        id: r.adm_id,
        admissionType: r.adm_type,
        admittedOn: r.adm_admitted_on,
        hospitalWard: r.adm_ward,
        lengthOfStayDays: los,
        longStay: isLongStay(los),
      };
    }
    return {
      id: r.id,
      hospitalId: r.hospital_id,
      recordNumber: r.record_number,
      familyName: r.family_name,
      givenName: r.given_name,
      familyNameKana: r.family_name_kana,
      givenNameKana: r.given_name_kana,
      birthDate: r.birth_date,
      sex: r.sex,
      responsibleMunicipalityId: r.responsible_municipality_id,
      residenceWard: r.residence_ward,
      consentOn: r.consent_on,
      consentScope: r.consent_scope,
      closedOn: r.closed_on,
      asOf,
      currentAdmission,
      currentEnrollments: r.enrollments ?? [],
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class PatientPage {
  @ApiProperty({ type: [PatientView] }) items: PatientView[];
  @ApiProperty({ nullable: true, type: String, description: 'Encrypted: kana never appears in URLs' })
  nextCursor: string | null;
}
