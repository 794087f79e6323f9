/** Dataset sizes of DOMAIN.md §10. */
export interface SizeSpec {
  name: 'S' | 'M' | 'L';
  prefectures: number;
  municipalities: number;
  organizations: number;
  patients: number;
  users: number;
  enrollments: number;
  contacts: number;
}

export const SIZES: Record<SizeSpec['name'], SizeSpec> = {
  S: { name: 'S', prefectures: 1, municipalities: 2, organizations: 30, patients: 2_500, users: 300, enrollments: 500, contacts: 80_000 },
  M: { name: 'M', prefectures: 1, municipalities: 40, organizations: 400, patients: 15_000, users: 2_500, enrollments: 3_000, contacts: 600_000 },
  L: { name: 'L', prefectures: 47, municipalities: 1_700, organizations: 22_500, patients: 300_000, users: 40_000, enrollments: 60_000, contacts: 10_000_000 },
};

export function parseSize(raw: string | undefined): SizeSpec {
  const key = (raw ?? 'S').toUpperCase();
  if (key !== 'S' && key !== 'M' && key !== 'L') throw new Error(`--size must be S, M or L (got "${raw}")`);
  return SIZES[key];
}

/** `--name value` or `--name=value` from argv. */
export function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return undefined;
}

export const hasFlag = (argv: string[], name: string) => argv.includes(`--${name}`);
