import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrollment rules the database backs as well (the step table in src/enrollments/programs.ts is the source):
 * withdrawal reasons as a CHECK list, and the index the enrollment screens and the caseload use to find the
 * current benefit period (支給決定期間) of an enrollment.
 */
export class EnrollmentRules1764460800350 implements MigrationInterface {
  name = 'EnrollmentRules1764460800350';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrollment_steps ADD CONSTRAINT enrollment_steps_reason
      CHECK (reason IS NULL OR reason IN ('declined', 'condition_worsened', 'transferred', 'died', 'other'))`);
    await q.query(`CREATE INDEX benefit_periods_enrollment ON benefit_periods (enrollment_id, starts_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX benefit_periods_enrollment`);
    await q.query(`ALTER TABLE enrollment_steps DROP CONSTRAINT enrollment_steps_reason`);
  }
}
