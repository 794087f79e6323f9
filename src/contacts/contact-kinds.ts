/** Contact kinds (DOMAIN.md §6), as the `contact_kind` enum of the Contacts migration. */
export const CONTACT_KINDS = [
  'face_to_face',
  'phone',
  'accompanied_outing',
  'trial_stay',
  'trial_service_use',
  'home_visit',
  'case_conference',
  'peer_visit',
  'other',
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const CONTACT_KIND_LABELS_JA: Record<ContactKind, string> = {
  face_to_face: '面接',
  phone: '電話',
  accompanied_outing: '同行支援',
  trial_stay: '体験宿泊',
  trial_service_use: '体験利用',
  home_visit: '訪問',
  case_conference: 'ケア会議',
  peer_visit: 'ピア訪問',
  other: 'その他',
};

/** Places, as the `contact_place` enum. */
export const CONTACT_PLACES = ['hospital', 'home', 'office', 'community', 'phone', 'other'] as const;
export type ContactPlace = (typeof CONTACT_PLACES)[number];

/** Only a trial stay (体験宿泊) spans several days (`endsOn`); every day of it is a day of face-to-face support. */
export const MULTI_DAY_KINDS: readonly ContactKind[] = ['trial_stay'];

/** Longest span of one multi-day contact, in days after `occurredOn` (also a CHECK in the database). */
export const MAX_SPAN_DAYS = 30;

/** People on one contact: enough for a case conference, bounded so a request cannot carry thousands. */
export const MAX_PEOPLE = 30;
