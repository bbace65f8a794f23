import { checkPasswordPolicy } from './password-policy';

describe('checkPasswordPolicy', () => {
  const cases: Array<[string, string, string | null, RegExp | null]> = [
    ['empty', '', null, /at least 12/],
    ['too short', 'Sh0rt!pass', 'alice', /at least 12/],
    ['too long', 'x'.repeat(257), null, /at most 256/],
    ['contains the username', 'alice-rocks-the-stage', 'alice', /username/],
    ['contains the reversed username', 'ecila-rocks-the-stage', 'alice', /username/],
    ['common password', 'password1234', 'bob', /too common/],
    ['common with trailing digits', 'Qwertyuiop123!!', 'bob', /too common/],
    ['common squashed', 'correct horse battery staple', 'bob', /too common/],
    ['few distinct characters', 'abababababab', 'bob', /5 different/],
    ['alphabet run', 'abcdefghijklm', 'bob', /sequence/],
    ['reverse keyboard run', 'mnbvcxzlkjhgf', 'bob', /sequence/],
    ['good passphrase', 'blue tram meets quiet harbour', 'alice', null],
    ['good random', 'T7#kq9!Lm2$x', 'alice', null],
    ['short username is not a rule', 'al-morning-runs-long', 'al', null],
  ];
  it.each(cases)('%s', (_name, password, username, expected) => {
    const r = checkPasswordPolicy(password, username);
    if (expected) expect(r).toMatch(expected);
    else expect(r).toBeNull();
  });
});
