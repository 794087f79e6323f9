import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports (#9, #12): the yearly indicator targets (指標の設定理由・現状値・目標値) and the indexes the report SQL in
 * src/reports/*.sql.ts relies on (each query names the indexes it uses).
 *
 * A target row belongs to a municipality, or — municipality_id NULL — is the deployment-wide default an
 * administrator sets. NULLS NOT DISTINCT makes (fiscal year, code, NULL) unique too (PostgreSQL ≥ 15).
 * Baseline and target are numbers when the indicator is counted, with an optional text for the sheet's
 * qualitative wording (the seed: "３件（２病院）", "９件（各病院１件）"; 定性的な文言でも構いません).
 */
export class Reports1764460800600 implements MigrationInterface {
  name = 'Reports1764460800600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
        code varchar(64) NOT NULL,
        municipality_id uuid REFERENCES organizations(id),
        reason varchar(1000),
        baseline numeric(14, 2),
        baseline_text varchar(200),
        target numeric(14, 2),
        target_text varchar(200),
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT indicator_targets_unique UNIQUE NULLS NOT DISTINCT (fiscal_year, code, municipality_id)
      )`);
    await q.query(`CREATE INDEX indicator_targets_municipality ON indicator_targets (municipality_id)`);

    // The discharge step of an enrollment, found per enrollment (discharges "through the programme", median days).
    await q.query(`CREATE INDEX enrollment_steps_discharged ON enrollment_steps (enrollment_id, occurred_on)
      WHERE to_step = 'discharged'`);
    // Enrollments of a municipality started / active in a fiscal year (funnel, contact intensity, comparison).
    await q.query(
      `CREATE INDEX enrollments_municipality_started ON enrollments (municipality_id, started_on)`,
    );
    // Admission cohorts of a fiscal year (discharge rate at 3/6/12 months after admission).
    await q.query(`CREATE INDEX admissions_admitted ON admissions (admitted_on)`);
    // Contacts with peer involvement (indicator sheet, comparison): a small share of 10M rows.
    await q.query(
      `CREATE INDEX contacts_peer ON contacts (enrollment_id, occurred_on) WHERE cardinality(peer_supporter_ids) > 0`,
    );
    // Events of a kind in a municipality and year (transition-programme sessions, supporter training).
    await q.query(`CREATE INDEX events_municipality_kind_held ON events (municipality_id, kind, held_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_municipality_kind_held`);
    await q.query(`DROP INDEX contacts_peer`);
    await q.query(`DROP INDEX admissions_admitted`);
    await q.query(`DROP INDEX enrollments_municipality_started`);
    await q.query(`DROP INDEX enrollment_steps_discharged`);
    await q.query(`DROP TABLE indicator_targets`);
  }
}
