import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization-kinds.js';

export interface OrganizationRow {
  id: string;
  kind: OrganizationKind;
  name: string;
  name_kana: string | null;
  ward: string | null;
  address: string | null;
  phone: string | null;
  municipality_id: string | null;
  prefecture_id: string | null;
  psychiatric_beds: number | null;
  long_stay_inpatients: number | null;
  long_stay_as_of: string | null;
  case_capacity: number | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** An organization as the API shows it. */
export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: OrganizationKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nameKana: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '区 (administrative ward)' }) ward: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Municipality (市区町村) whose area it is in' })
  municipalityId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'For municipalities: their prefecture (都道府県)' })
  prefectureId: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Hospitals: psychiatric beds' }) psychiatricBeds: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Hospitals: inpatients staying ≥ 1 year (長期入院)' })
  longStayInpatients: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) longStayAsOf: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Support offices: concurrent transition enrollments it can hold' })
  caseCapacity: number | null;
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: OrganizationRow): OrganizationView {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      nameKana: r.name_kana,
      ward: r.ward,
      address: r.address,
      phone: r.phone,
      municipalityId: r.municipality_id,
      prefectureId: r.prefecture_id,
      psychiatricBeds: r.psychiatric_beds,
      longStayInpatients: r.long_stay_inpatients,
      longStayAsOf: r.long_stay_as_of,
      caseCapacity: r.case_capacity,
      active: r.active,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }
}

export class OrganizationPage {
  @ApiProperty({ type: [OrganizationView] }) items: OrganizationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
