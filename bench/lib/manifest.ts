import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchAccount {
  role: string;
  email: string;
  password: string;
  userId: string;
  organizationId: string | null;
}

/** What the benchmark needs to know about a synthetic data set (ids, not data). */
export interface Manifest {
  size: string;
  seededAt: string;
  referenceDate: string;
  seconds: number;
  counts: Record<string, number>;
  prefectureId: string;
  prefectureMunicipalities: number;
  municipalityId: string;
  hospitalId: string;
  officeId: string;
  officeActiveCases: number;
  stationId: string;
  /** A patient visible to the hospital account and the municipal account. */
  patientId: string;
  /** Active enrollments of the office (for contacts and transitions). */
  enrollmentIds: string[];
  accounts: BenchAccount[];
}

export const manifestPath = (dir: string, size: string) => join(dir, `manifest-${size.toLowerCase()}.json`);

export function writeManifest(dir: string, m: Manifest): string {
  mkdirSync(dir, { recursive: true });
  const file = manifestPath(dir, m.size);
  writeFileSync(file, JSON.stringify(m, null, 2));
  return file;
}

export function readManifest(dir: string, size: string): Manifest | null {
  const file = manifestPath(dir, size);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : null;
}
