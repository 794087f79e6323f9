import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Transition teams with dated membership, patients (要配慮個人情報) and admissions. */
export class TeamsPatients1764460800200 implements MigrationInterface {
  name = 'TeamsPatients1764460800200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        hospital_id uuid NOT NULL REFERENCES organizations(id),
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        started_on date NOT NULL,
        ended_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT teams_dates CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await q.query(`CREATE INDEX teams_name_id ON teams (name, id)`);
    await q.query(`CREATE INDEX teams_hospital ON teams (hospital_id)`);
    await q.query(`CREATE INDEX teams_municipality ON teams (municipality_id)`);

    // Membership history is never overwritten: leaving sets left_on, a re-join is a new row.
    await q.query(`
      CREATE TABLE team_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES teams(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        member_role text NOT NULL CHECK (member_role IN ('hospital', 'support_office', 'nurse_station', 'municipality')),
        joined_on date NOT NULL,
        left_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT team_members_dates CHECK (left_on IS NULL OR left_on >= joined_on)
      )`);
    await q.query(`CREATE UNIQUE INDEX team_members_open ON team_members (team_id, organization_id) WHERE left_on IS NULL`);
    await q.query(`CREATE INDEX team_members_organization ON team_members (organization_id)`);

    await q.query(`CREATE TYPE patient_sex AS ENUM ('female', 'male', 'other', 'unknown')`);
    await q.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hospital_id uuid NOT NULL REFERENCES organizations(id),
        record_number varchar(50) NOT NULL,
        family_name varchar(100) NOT NULL,
        given_name varchar(100) NOT NULL,
        family_name_kana varchar(100) NOT NULL,
        given_name_kana varchar(100) NOT NULL,
        birth_date date NOT NULL,
        sex patient_sex NOT NULL,
        responsible_municipality_id uuid REFERENCES organizations(id),
        residence_ward varchar(50),
        consent_on date,
        consent_scope varchar(500),
        closed_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT patients_record_number_unique UNIQUE (hospital_id, record_number)
      )`);
    // Lists are ordered by kana (五十音順), the order a PSW's paper list has.
    await q.query(`CREATE INDEX patients_kana_order ON patients (family_name_kana, given_name_kana, id)`);
    await q.query(`CREATE INDEX patients_hospital_kana ON patients (hospital_id, family_name_kana, given_name_kana, id)`);
    await q.query(`CREATE INDEX patients_municipality ON patients (responsible_municipality_id)`);
    await q.query(`CREATE INDEX patients_search ON patients USING gin
      ((family_name || given_name || ' ' || family_name_kana || given_name_kana) gin_trgm_ops)`);

    await q.query(`CREATE TYPE admission_type AS ENUM
      ('voluntary', 'medical_protection', 'involuntary', 'emergency_involuntary', 'urgent')`);
    await q.query(`CREATE TYPE discharge_destination AS ENUM
      ('home_alone', 'home_family', 'group_home', 'welfare_facility', 'transfer_hospital', 'death', 'other')`);
    await q.query(`
      CREATE TABLE admissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        hospital_id uuid NOT NULL REFERENCES organizations(id),
        admission_type admission_type NOT NULL,
        admitted_on date NOT NULL,
        hospital_ward varchar(50),
        discharged_on date,
        discharge_destination discharge_destination,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT admissions_discharge_pair CHECK ((discharged_on IS NULL) = (discharge_destination IS NULL)),
        CONSTRAINT admissions_dates CHECK (discharged_on IS NULL OR discharged_on >= admitted_on)
      )`);
    await q.query(`CREATE UNIQUE INDEX admissions_one_open ON admissions (patient_id) WHERE discharged_on IS NULL`);
    await q.query(`CREATE INDEX admissions_patient ON admissions (patient_id, admitted_on)`);
    await q.query(`CREATE INDEX admissions_hospital_discharged ON admissions (hospital_id, discharged_on)`);
    await q.query(`CREATE INDEX admissions_discharged ON admissions (discharged_on) WHERE discharged_on IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admissions`);
    await q.query(`DROP TYPE discharge_destination`);
    await q.query(`DROP TYPE admission_type`);
    await q.query(`DROP TABLE patients`);
    await q.query(`DROP TYPE patient_sex`);
    await q.query(`DROP TABLE team_members`);
    await q.query(`DROP TABLE teams`);
  }
}
