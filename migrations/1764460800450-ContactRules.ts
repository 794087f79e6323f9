import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rules of contacts (支援記録) the database holds, not only the code:
 *  - only a trial stay (体験宿泊) spans days, at most 30 after it began — this bound also lets the monthly rule
 *    read a month's contacts from a bounded range of the (enrollment_id, occurred_on) index;
 *  - the current fields in `contacts` change only by an amendment: revision + 1, matching a stored revision row
 *    with the same fields (so `contacts` can never be rewritten apart from its history);
 *  - `contact_revisions` gets the same CHECKs as `contacts`;
 *  - an (occurred_on, id) btree for GET /contacts ordered newest first across enrollments.
 */
export class ContactRules1764460800450 implements MigrationInterface {
  name = 'ContactRules1764460800450';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['contacts', 'contact_revisions']) {
      await q.query(`ALTER TABLE ${table}
        ADD CONSTRAINT ${table}_span_kind CHECK (ends_on IS NULL OR kind = 'trial_stay'),
        ADD CONSTRAINT ${table}_span_length CHECK (ends_on IS NULL OR ends_on - occurred_on <= 30)`);
    }
    await q.query(`ALTER TABLE contact_revisions
      ADD CONSTRAINT contact_revisions_dates CHECK (ends_on IS NULL OR ends_on >= occurred_on),
      ADD CONSTRAINT contact_revisions_minutes CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440),
      ADD CONSTRAINT contact_revisions_positive CHECK (revision >= 1)`);
    await q.query(`CREATE INDEX contacts_occurred_id ON contacts (occurred_on DESC, id DESC)`);

    await q.query(`
      CREATE FUNCTION contacts_follow_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id <> OLD.id OR NEW.enrollment_id <> OLD.enrollment_id OR NEW.created_by_id <> OLD.created_by_id
           OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'contacts: id, enrollment, author and creation time never change' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.revision <> OLD.revision + 1 OR NOT EXISTS (
             SELECT 1 FROM contact_revisions r
             WHERE r.contact_id = NEW.id AND r.revision = NEW.revision
               AND r.kind = NEW.kind AND r.occurred_on = NEW.occurred_on
               AND r.ends_on IS NOT DISTINCT FROM NEW.ends_on AND r.start_time IS NOT DISTINCT FROM NEW.start_time
               AND r.minutes IS NOT DISTINCT FROM NEW.minutes AND r.place = NEW.place
               AND r.staff_ids = NEW.staff_ids AND r.peer_supporter_ids = NEW.peer_supporter_ids) THEN
          RAISE EXCEPTION 'contacts change only by an amendment: a new contact_revisions row (revision + 1) with the same fields'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER contacts_follow_revision BEFORE UPDATE ON contacts
      FOR EACH ROW EXECUTE FUNCTION contacts_follow_revision()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER contacts_follow_revision ON contacts`);
    await q.query(`DROP FUNCTION contacts_follow_revision()`);
    await q.query(`DROP INDEX contacts_occurred_id`);
    await q.query(`ALTER TABLE contact_revisions DROP CONSTRAINT contact_revisions_dates,
      DROP CONSTRAINT contact_revisions_minutes, DROP CONSTRAINT contact_revisions_positive`);
    for (const table of ['contacts', 'contact_revisions']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_span_kind, DROP CONSTRAINT ${table}_span_length`);
    }
  }
}
