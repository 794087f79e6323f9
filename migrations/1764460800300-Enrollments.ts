import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrollments (支援の利用), their append-only step history and benefit periods (支給決定期間).
 * municipality_id and hospital_id are copied from the team / patient at creation so that access scopes and
 * reports are indexed predicates, not joins per row.
 */
export class Enrollments1764460800300 implements MigrationInterface {
  name = 'Enrollments1764460800300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE program AS ENUM ('community_transition', 'community_settlement', 'post_involuntary_support')`);
    await q.query(`
      CREATE TABLE enrollments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        program program NOT NULL,
        team_id uuid NOT NULL REFERENCES teams(id),
        support_office_id uuid NOT NULL REFERENCES organizations(id),
        nurse_station_id uuid REFERENCES organizations(id),
        hospital_id uuid NOT NULL REFERENCES organizations(id),
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        step text NOT NULL,
        is_active boolean NOT NULL DEFAULT true,
        started_on date NOT NULL,
        step_entered_on date NOT NULL,
        ended_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX enrollments_one_active ON enrollments (patient_id, program) WHERE is_active`);
    await q.query(`CREATE INDEX enrollments_office ON enrollments (support_office_id, is_active, id)`);
    await q.query(`CREATE INDEX enrollments_station ON enrollments (nurse_station_id, is_active, id) WHERE nurse_station_id IS NOT NULL`);
    await q.query(`CREATE INDEX enrollments_hospital ON enrollments (hospital_id, is_active, id)`);
    await q.query(`CREATE INDEX enrollments_municipality ON enrollments (municipality_id, is_active, id)`);
    await q.query(`CREATE INDEX enrollments_team ON enrollments (team_id)`);
    await q.query(`CREATE INDEX enrollments_patient ON enrollments (patient_id)`);

    await q.query(`
      CREATE TABLE enrollment_steps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrollment_id uuid NOT NULL REFERENCES enrollments(id),
        from_step text,
        to_step text NOT NULL,
        occurred_on date NOT NULL,
        actor_id uuid,
        actor_role text,
        on_behalf_of_id uuid REFERENCES organizations(id),
        note varchar(2000),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enrollment_steps_enrollment ON enrollment_steps (enrollment_id, created_at)`);
    await q.query(`CREATE INDEX enrollment_steps_to ON enrollment_steps (to_step, occurred_on)`);
    await q.query(`CREATE TRIGGER enrollment_steps_append_only BEFORE UPDATE OR DELETE ON enrollment_steps
      FOR EACH ROW EXECUTE FUNCTION reject_modification()`);

    await q.query(`
      CREATE TABLE benefit_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrollment_id uuid NOT NULL REFERENCES enrollments(id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        is_renewal boolean NOT NULL DEFAULT false,
        granted_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT benefit_periods_dates CHECK (ends_on >= starts_on),
        CONSTRAINT benefit_periods_no_overlap EXCLUDE USING gist
          (enrollment_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
      )`);
    await q.query(`CREATE INDEX benefit_periods_ends ON benefit_periods (ends_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE benefit_periods`);
    await q.query(`DROP TABLE enrollment_steps`);
    await q.query(`DROP TABLE enrollments`);
    await q.query(`DROP TYPE program`);
  }
}
