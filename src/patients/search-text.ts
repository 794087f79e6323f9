/**
 * Normalise a name/kana search: spaces (half- and full-width) are dropped because the indexed expression has
 * none between family and given name; hiragana is also searched as katakana (kana are stored in katakana).
 * Returns the distinct patterns to try (one or two).
 */
export function searchVariants(q: string): string[] {
  const compact = q.replace(/[\s\u3000]+/g, '');
  if (compact === '') return [];
  const katakana = compact.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
  return katakana === compact ? [compact] : [compact, katakana];
}
