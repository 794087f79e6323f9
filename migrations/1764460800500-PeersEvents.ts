import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Peer supporters (ピアサポーター) and the programme's events (会議・研修). Events hold no patient data. */
export class PeersEvents1764460800500 implements MigrationInterface {
  name = 'PeersEvents1764460800500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE peer_supporters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name varchar(100) NOT NULL,
        affiliation_id uuid REFERENCES organizations(id),
        municipality_id uuid REFERENCES organizations(id),
        trained_on date,
        employed_by_id uuid REFERENCES organizations(id),
        employed_since date,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT peer_supporters_employment CHECK ((employed_by_id IS NULL) = (employed_since IS NULL))
      )`);
    await q.query(`CREATE INDEX peer_supporters_name ON peer_supporters (display_name, id)`);
    await q.query(`CREATE INDEX peer_supporters_municipality ON peer_supporters (municipality_id)`);

    await q.query(`CREATE TYPE event_kind AS ENUM ('liaison_conference', 'working_group', 'peer_exchange',
      'public_seminar', 'supporter_training', 'transition_program', 'other')`);
    await q.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind event_kind NOT NULL,
        held_on date NOT NULL,
        title varchar(200) NOT NULL,
        host_id uuid NOT NULL REFERENCES organizations(id),
        hospital_id uuid REFERENCES organizations(id),
        municipality_id uuid REFERENCES organizations(id),
        notes varchar(4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT events_transition_program_hospital CHECK (kind <> 'transition_program' OR hospital_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX events_held ON events (held_on, id)`);
    await q.query(`CREATE INDEX events_kind_held ON events (kind, held_on)`);
    await q.query(`CREATE INDEX events_municipality ON events (municipality_id, held_on)`);
    await q.query(`CREATE INDEX events_hospital ON events (hospital_id) WHERE hospital_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE event_attendance (
        event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        headcount integer NOT NULL CHECK (headcount >= 0),
        PRIMARY KEY (event_id, organization_id)
      )`);
    await q.query(`
      CREATE TABLE event_peer_supporters (
        event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        peer_supporter_id uuid NOT NULL REFERENCES peer_supporters(id),
        PRIMARY KEY (event_id, peer_supporter_id)
      )`);
    await q.query(`CREATE INDEX event_peer_supporters_peer ON event_peer_supporters (peer_supporter_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_peer_supporters`);
    await q.query(`DROP TABLE event_attendance`);
    await q.query(`DROP TABLE events`);
    await q.query(`DROP TYPE event_kind`);
    await q.query(`DROP TABLE peer_supporters`);
  }
}
