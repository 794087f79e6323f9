import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contacts (支援記録). `contact_revisions` is the record: append-only, every amendment a new revision
 * (真正性). `contacts` carries the current revision's fields for lists and reports (10M rows at national
 * scale); only an amendment changes it, and it can never be deleted. The summary lives only in revisions.
 */
export class Contacts1764460800400 implements MigrationInterface {
  name = 'Contacts1764460800400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE contact_kind AS ENUM ('face_to_face', 'phone', 'accompanied_outing', 'trial_stay',
      'trial_service_use', 'home_visit', 'case_conference', 'peer_visit', 'other')`);
    await q.query(`CREATE TYPE contact_place AS ENUM ('hospital', 'home', 'office', 'community', 'phone', 'other')`);
    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrollment_id uuid NOT NULL REFERENCES enrollments(id),
        revision integer NOT NULL DEFAULT 1,
        kind contact_kind NOT NULL,
        occurred_on date NOT NULL,
        ends_on date,
        start_time time,
        minutes integer,
        place contact_place NOT NULL,
        staff_ids uuid[] NOT NULL DEFAULT '{}',
        peer_supporter_ids uuid[] NOT NULL DEFAULT '{}',
        created_by_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contacts_dates CHECK (ends_on IS NULL OR ends_on >= occurred_on),
        CONSTRAINT contacts_minutes CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440)
      )`);
    await q.query(`CREATE INDEX contacts_enrollment_date ON contacts (enrollment_id, occurred_on DESC, id DESC)`);
    await q.query(`CREATE INDEX contacts_occurred ON contacts USING brin (occurred_on)`);
    await q.query(`CREATE INDEX contacts_staff ON contacts USING gin (staff_ids)`);
    await q.query(`CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
      FOR EACH ROW EXECUTE FUNCTION reject_modification()`);
    await q.query(`CREATE TRIGGER contacts_no_truncate BEFORE TRUNCATE ON contacts
      FOR EACH STATEMENT EXECUTE FUNCTION reject_modification()`);

    await q.query(`
      CREATE TABLE contact_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contacts(id),
        revision integer NOT NULL,
        kind contact_kind NOT NULL,
        occurred_on date NOT NULL,
        ends_on date,
        start_time time,
        minutes integer,
        place contact_place NOT NULL,
        staff_ids uuid[] NOT NULL DEFAULT '{}',
        peer_supporter_ids uuid[] NOT NULL DEFAULT '{}',
        summary varchar(4000),
        reason varchar(1000),
        recorded_by_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contact_revisions_unique UNIQUE (contact_id, revision),
        CONSTRAINT contact_revisions_reason CHECK (revision = 1 OR reason IS NOT NULL)
      )`);
    await q.query(`CREATE TRIGGER contact_revisions_append_only BEFORE UPDATE OR DELETE ON contact_revisions
      FOR EACH ROW EXECUTE FUNCTION reject_modification()`);
    await q.query(`CREATE TRIGGER contact_revisions_no_truncate BEFORE TRUNCATE ON contact_revisions
      FOR EACH STATEMENT EXECUTE FUNCTION reject_modification()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contact_revisions`);
    await q.query(`DROP TABLE contacts`);
    await q.query(`DROP TYPE contact_place`);
    await q.query(`DROP TYPE contact_kind`);
  }
}
