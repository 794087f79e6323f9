import { Foundation1764460800000 } from './1764460800000-Foundation.js';
import { Users1764460800100 } from './1764460800100-Users.js';
import { LoginThrottle1764460800150 } from './1764460800150-LoginThrottle.js';
import { TeamsPatients1764460800200 } from './1764460800200-TeamsPatients.js';
import { Enrollments1764460800300 } from './1764460800300-Enrollments.js';
import { EnrollmentRules1764460800350 } from './1764460800350-EnrollmentRules.js';
import { Contacts1764460800400 } from './1764460800400-Contacts.js';
import { ContactRules1764460800450 } from './1764460800450-ContactRules.js';
import { PeersEvents1764460800500 } from './1764460800500-PeersEvents.js';
import { PeerTrainingOutside1764460800550 } from './1764460800550-PeerTrainingOutside.js';
import { Reports1764460800600 } from './1764460800600-Reports.js';
import { UndatedReferral1764460800700 } from './1764460800700-UndatedReferral.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests run the same set. */
export const MIGRATIONS = [
  Foundation1764460800000,
  Users1764460800100,
  LoginThrottle1764460800150,
  TeamsPatients1764460800200,
  Enrollments1764460800300,
  EnrollmentRules1764460800350,
  Contacts1764460800400,
  ContactRules1764460800450,
  PeersEvents1764460800500,
  PeerTrainingOutside1764460800550,
  Reports1764460800600,
  UndatedReferral1764460800700,
];
