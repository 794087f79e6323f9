/** Escape LIKE wildcards so a search for "50%" means the text "50%". */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}
