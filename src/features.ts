import type { Type } from '@nestjs/common';
import { EnrollmentsModule } from './enrollments/enrollments.module.js';
import { EventsModule } from './events/events.module.js';
import { PeerSupportersModule } from './peer-supporters/peer-supporters.module.js';
import { UsersModule } from './users/users.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { PatientsModule } from './patients/patients.module.js';
import { AdmissionsModule } from './admissions/admissions.module.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { ReportsModule } from './reports/reports.module.js';

/**
 * Feature modules beyond the foundation, one line each (kept apart from app.module.ts so features can be
 * added without touching the wiring of the cross-cutting modules).
 */
export const FEATURE_MODULES: Type[] = [
  EnrollmentsModule,
  PeerSupportersModule,
  EventsModule,
  UsersModule,
  TeamsModule,
  PatientsModule,
  AdmissionsModule,
  ContactsModule,
  ReportsModule,
];
