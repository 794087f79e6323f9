import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ADMISSION_TYPES,
  type AdmissionType,
  DISCHARGE_DESTINATIONS,
  type DischargeDestination,
} from './dto/admission.dto.js';
import {
  isLongStay,
  lengthOfStayDays,
  previousDischargeOf,
  READMISSION_WINDOWS,
  type ReadmissionWindow,
  readmissionWithin,
} from './stay.js';

export interface AdmissionRow {
  id: string;
  patient_id: string;
  hospital_id: string;
  admission_type: AdmissionType;
  admitted_on: string;
  hospital_ward: string | null;
  discharged_on: string | null;
  discharge_destination: DischargeDestination | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** One stay (入院) with its derived length of stay, long-stay and readmission flags. */
export class AdmissionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'uuid' }) hospitalId: string;
  @ApiProperty({ enum: ADMISSION_TYPES, description: '入院形態' }) admissionType: AdmissionType;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '病棟' }) hospitalWard: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Set by the discharge step only',
  })
  dischargedOn: string | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: DISCHARGE_DESTINATIONS,
    description: 'Set by the discharge step only',
  })
  dischargeDestination: DischargeDestination | null;
  @ApiProperty({ format: 'date', description: 'The reference day of the derived fields' }) asOf: string;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      'Days from admission (day 0) to asOf, or to the discharge if earlier; null if asOf is before the admission',
  })
  lengthOfStayDays: number | null;
  @ApiProperty({ description: '長期入院: the stay has lasted ≥ 365 days at asOf (or had by its discharge)' })
  longStay: boolean;
  @ApiPropertyOptional({
    nullable: true,
    enum: READMISSION_WINDOWS,
    description:
      'A readmission (再入院): admitted within 3, 6 or 12 months (narrowest) of the previous discharge; null otherwise',
  })
  readmissionWithin: ReadmissionWindow | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date',
    description: 'The discharge this stay followed, if any',
  })
  previousDischargedOn: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  /** `siblings`: every admission of the same patient (for the readmission flag). */
  static of(r: AdmissionRow, asOf: string, siblings: readonly AdmissionRow[]): AdmissionView {
    const stays = siblings.map((s) => ({
      id: s.id,
      admittedOn: s.admitted_on,
      dischargedOn: s.discharged_on,
    }));
    const previous = previousDischargeOf(
      { id: r.id, admittedOn: r.admitted_on, dischargedOn: r.discharged_on },
      stays,
    );
    const los = lengthOfStayDays(r.admitted_on, r.discharged_on, asOf);
    return {
      id: r.id,
      patientId: r.patient_id,
      hospitalId: r.hospital_id,
      admissionType: r.admission_type,
      admittedOn: r.admitted_on,
      hospitalWard: r.hospital_ward,
      dischargedOn: r.discharged_on,
      dischargeDestination: r.discharge_destination,
      asOf,
      lengthOfStayDays: los,
      longStay: isLongStay(los),
      readmissionWithin: previous === null ? null : readmissionWithin(r.admitted_on, [previous]),
      previousDischargedOn: previous,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class AdmissionList {
  @ApiProperty({ type: [AdmissionView], description: 'Newest first' }) items: AdmissionView[];
}
