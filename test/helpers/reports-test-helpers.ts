import type { TestApp } from './app.js';
import { aPatient, type World } from './domain-factories.js';

/**
 * Report fixtures, inserted with SQL: the reports only read tables, so a spec builds exactly the history whose
 * figures it has worked out by hand (steps on chosen days, stays across leap days, contacts without staff …).
 */

export const API = '/api/v1';

/** Final steps end an enrollment (is_active false, ended_on = the day), as the enrollment service does. */
const FINAL_STEPS = ['completed', 'withdrawn'];

/**
 * Append the steps of an enrollment made with anEnrollment (which recorded `referred` on its start day) and
 * leave the enrollment where the last one puts it. `steps`: [toStep, occurredOn, reason?] in order.
 */
export async function aJourney(
  t: TestApp,
  enrollmentId: string,
  steps: [string, string, string?][],
): Promise<void> {
  let from = 'referred';
  for (const [to, on, reason] of steps) {
    await t.sql(
      `INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on, reason) VALUES ($1, $2, $3, $4, $5)`,
      [enrollmentId, from, to, on, reason ?? null],
    );
    from = to;
  }
  const [last, on] = steps[steps.length - 1];
  const final = FINAL_STEPS.includes(last);
  await t.sql(
    `UPDATE enrollments SET step = $2, step_entered_on = $3, is_active = $4, ended_on = $5 WHERE id = $1`,
    [enrollmentId, last, on, !final, final ? on : null],
  );
}

/** One stay; open when dischargedOn is absent. */
export async function aStay(
  t: TestApp,
  o: {
    patientId: string;
    hospitalId: string;
    admittedOn: string;
    dischargedOn?: string;
    destination?: string;
    admissionType?: string;
  },
): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO admissions (patient_id, hospital_id, admission_type, admitted_on, discharged_on, discharge_destination)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      o.patientId,
      o.hospitalId,
      o.admissionType ?? 'medical_protection',
      o.admittedOn,
      o.dischargedOn ?? null,
      o.dischargedOn ? (o.destination ?? 'home_alone') : null,
    ],
  );
  return row;
}

/** A patient of the world's hospital (援護市町村 = the world's municipality unless told otherwise). */
export async function aCase(
  t: TestApp,
  world: World,
  o: { responsibleMunicipalityId?: string | null; familyName?: string } = {},
) {
  return aPatient(t, {
    hospitalId: world.hospital.id,
    responsibleMunicipalityId:
      o.responsibleMunicipalityId === undefined ? world.municipality.id : o.responsibleMunicipalityId,
    familyName: o.familyName,
  });
}

/** A contact as the report sees it; `staff: false` records one without staff (a peer visit alone). */
export async function aContactOn(
  t: TestApp,
  o: {
    enrollmentId: string;
    kind: string;
    occurredOn: string;
    endsOn?: string;
    staff?: boolean;
    peerIds?: string[];
    staffId?: string;
  },
): Promise<void> {
  const staffId = o.staffId ?? '00000000-0000-4000-8000-00000000000a';
  await t.sql(
    `INSERT INTO contacts (enrollment_id, kind, occurred_on, ends_on, place, staff_ids, peer_supporter_ids, created_by_id)
     VALUES ($1, $2, $3, $4, 'hospital', $5::uuid[], $6::uuid[], $7)`,
    [
      o.enrollmentId,
      o.kind,
      o.occurredOn,
      o.endsOn ?? null,
      o.staff === false ? [] : [staffId],
      o.peerIds ?? [],
      staffId,
    ],
  );
}

/** Several contacts of one kind on the given days. */
export async function contactsOn(
  t: TestApp,
  enrollmentId: string,
  kind: string,
  days: string[],
): Promise<void> {
  for (const occurredOn of days) await aContactOn(t, { enrollmentId, kind, occurredOn });
}

export async function anEventOn(
  t: TestApp,
  o: {
    kind: string;
    heldOn: string;
    hostId: string;
    municipalityId?: string | null;
    hospitalId?: string;
    peerIds?: string[];
    attendeeIds?: string[];
  },
): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO events (kind, held_on, title, host_id, hospital_id, municipality_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [o.kind, o.heldOn, `${o.kind} ${o.heldOn}`, o.hostId, o.hospitalId ?? null, o.municipalityId ?? null],
  );
  for (const p of o.peerIds ?? [])
    await t.sql(`INSERT INTO event_peer_supporters (event_id, peer_supporter_id) VALUES ($1, $2)`, [
      row.id,
      p,
    ]);
  for (const org of o.attendeeIds ?? [])
    await t.sql(`INSERT INTO event_attendance (event_id, organization_id, headcount) VALUES ($1, $2, 3)`, [
      row.id,
      org,
    ]);
  return row;
}

export async function aPeer(
  t: TestApp,
  o: {
    municipalityId: string | null;
    employedById?: string;
    employedSince?: string;
    affiliationId?: string;
    active?: boolean;
    name?: string;
  },
): Promise<{ id: string }> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO peer_supporters (display_name, municipality_id, affiliation_id, employed_by_id, employed_since, active)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      o.name ?? 'ピア',
      o.municipalityId,
      o.affiliationId ?? null,
      o.employedById ?? null,
      o.employedSince ?? null,
      o.active ?? true,
    ],
  );
  return row;
}

/** Name a team (team groupings are asserted by name). */
export async function nameTeam(t: TestApp, teamId: string, name: string): Promise<void> {
  await t.sql(`UPDATE teams SET name = $2 WHERE id = $1`, [teamId, name]);
}

/** A row of `rows` whose fields match `where` (report rows are looked up, not indexed, so order is free). */
export function rowWhere<R>(rows: R[], where: Record<string, unknown>): R | undefined {
  return rows.find((r) => Object.entries(where).every(([k, v]) => (r as Record<string, unknown>)[k] === v));
}

/** The body of a CSV response as text (supertest leaves unknown types as a Buffer). */
export function csvText(res: { text?: string; body?: unknown }): string {
  if (typeof res.text === 'string' && res.text.length) return res.text;
  return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '';
}
