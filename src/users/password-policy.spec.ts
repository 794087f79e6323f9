import { describe, expect, it } from '@jest/globals';
import { passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it.each(['Probe-user-pass-2026!', 'correct horse battery', 'わたしの長いパスフレーズです', 'Mh7#kq2!Lp9@Zr'])('accepts %s', (p) => {
    expect(passwordProblems(p)).toEqual([]);
  });

  it('refuses fewer than 12 characters, counting characters rather than UTF-16 units', () => {
    expect(passwordProblems('Short-1!')).toEqual(['password must be at least 12 characters']);
    expect(passwordProblems('𠮷'.repeat(11))).toEqual(['password must be at least 12 characters']);
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblems('x'.repeat(257))).toEqual(['password must be at most 256 characters']);
  });

  it.each(['password1234', 'Password1234', 'qwerty123456', '123456789012', 'aaaaaaaaaaaa', '            '])(
    'refuses the common password %j',
    (p) => {
      expect(passwordProblems(p)).toEqual(['password is too common or too easy to guess']);
    },
  );

  it.each(['Password2026!', 'P@ssw0rd!!!!', '!!Welcome2026', 'Kizuna-2026-04', 'abcdefghijklm', '!!!!!!!!!!!!!'])(
    'refuses a common word dressed with digits and symbols: %s',
    (p) => {
      expect(passwordProblems(p)).toContain('password is too common or too easy to guess');
    },
  );

  it('refuses the email address, or its name part dressed with digits and symbols', () => {
    const why = 'password must not be your email address';
    expect(passwordProblems('hanako.yamada@city.example', 'Hanako.Yamada@city.example')).toContain(why);
    expect(passwordProblems('2026!hanako.yamada@city.example', 'hanako.yamada@city.example')).toContain(why);
    expect(passwordProblems('hanako.yamada-2026', 'hanako.yamada@city.example')).toContain(why);
  });

  it('accepts a password that merely shares a word with the email', () => {
    expect(passwordProblems('Probe-admin-pass-2026!', 'admin@probe.example')).toEqual([]);
  });
});
