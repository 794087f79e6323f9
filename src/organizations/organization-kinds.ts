export const ORGANIZATION_KINDS = ['hospital', 'support_office', 'nurse_station', 'municipality', 'prefecture', 'other'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** Fields that only one kind of organization may carry (DOMAIN.md §3). */
export const KIND_ONLY_FIELDS: Record<string, OrganizationKind> = {
  psychiatricBeds: 'hospital',
  longStayInpatients: 'hospital',
  longStayAsOf: 'hospital',
  caseCapacity: 'support_office',
  prefectureId: 'municipality',
};
