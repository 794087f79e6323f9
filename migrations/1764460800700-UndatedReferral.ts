import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Undated referrals (#6, #7). An enrollment registered without `startedOn` has no recorded referral date: a PSW
 * often registers today a case referred months ago and then records its past steps and contacts with their real
 * dates. `started_on` then holds a provisional value (the day of registration, lowered to the earliest step or
 * contact recorded later) and `started_on_recorded` is false; the strict date rules (a step not before the
 * referral, a contact not before the enrollment began) apply only when it is true. Existing rows were all
 * created with a date that counted as recorded, hence DEFAULT true.
 */
export class UndatedReferral1764460800700 implements MigrationInterface {
  name = 'UndatedReferral1764460800700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrollments ADD COLUMN started_on_recorded boolean NOT NULL DEFAULT true`);
    await q.query(`COMMENT ON COLUMN enrollments.started_on_recorded IS
      'false: the referral date was not given; started_on is provisional (registration day, lowered to the earliest step or contact recorded since)'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrollments DROP COLUMN started_on_recorded`);
  }
}
