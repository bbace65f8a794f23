/**
 * Passwords (lower-cased) that appear at the top of every breached-password list, plus product words. A password
 * is refused when it, or it with trailing digits/symbols removed, is listed. Not a full breach corpus: the length
 * rule does most of the work; this catches the obvious ones that happen to be long enough.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'password1', 'password12', 'password123', 'password1234',
  'passwordpassword', 'qwerty', 'qwertyuiop', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty', 'asdfghjkl',
  'asdfghjkl123', 'zxcvbnm', 'zxcvbnm123', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'qazwsxedc', 'qazwsxedcrfv',
  '123456789012', '1234567890', '12345678910', '123123123123', '111111111111', '000000000000', 'abcdefghijkl',
  'abc123abc123', 'iloveyou', 'iloveyou123', 'letmein', 'letmein123', 'welcome', 'welcome123', 'welcome1234',
  'changeme', 'changeme123', 'changeit', 'administrator', 'admin', 'admin123', 'admin1234', 'adminadmin',
  'administrator1', 'rootroot', 'root1234', 'superuser', 'supersecret', 'secret', 'secret123', 'trustno1',
  'football', 'baseball', 'basketball', 'soccer', 'princess', 'sunshine', 'starwars', 'whatever', 'dragon',
  'monkey', 'shadow', 'master', 'michael', 'jennifer', 'superman', 'batman', 'pokemon', 'computer', 'internet',
  'mustang', 'freedom', 'charlie', 'liverpool', 'chelsea', 'arsenal', 'manchester', 'default', 'guest',
  'operator', 'viewer', 'crowdsafe', 'crowdsafe123', 'crowdsafety', 'stadium', 'security', 'camera', 'cameras',
  'summer', 'winter', 'spring', 'autumn', 'january', 'february', 'december', 'correcthorsebatterystaple',
  'thequickbrownfox', 'letmeinnow', 'mypassword', 'newpassword', 'temppassword', 'temporary', 'test1234',
  'testtest', 'testing123', 'helloworld', 'hello123', 'lovelove', 'passpass', 'abcd1234abcd', 'q1w2e3r4t5y6',
]);
