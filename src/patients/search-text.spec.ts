import { describe, expect, it } from '@jest/globals';
import { searchVariants } from './search-text.js';

describe('patient search text', () => {
  it('drops half- and full-width spaces', () => {
    expect(searchVariants(' ヤマダ　ハナコ ')).toEqual(['ヤマダハナコ']);
  });

  it('also searches hiragana as katakana', () => {
    expect(searchVariants('やまだ')).toEqual(['やまだ', 'ヤマダ']);
    expect(searchVariants('山田はな')).toEqual(['山田はな', '山田ハナ']);
  });

  it('leaves kanji, katakana and latin text alone, and gives nothing for blanks', () => {
    expect(searchVariants('山田')).toEqual(['山田']);
    expect(searchVariants('ヤマダ')).toEqual(['ヤマダ']);
    expect(searchVariants('R-12')).toEqual(['R-12']);
    expect(searchVariants(' 　 ')).toEqual([]);
  });
});
