/** The Web Connector password check: argon2id once per password and hash, then the in-process cache of successes. */
import { verify } from '@node-rs/argon2';
import { expect, test } from 'vitest';
import { hashPassword, passwordVerifier } from '../../src/modules/credential/password.js';

test('a right password is checked by argon2id once, then from the cache; a wrong one always by argon2id and never kept', async () => {
  let argon2Calls = 0;
  const verifyPassword = passwordVerifier((passwordHash, password) => {
    argon2Calls++;
    return verify(passwordHash, password);
  });
  const stored = await hashPassword('correct horse battery staple');
  expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
  expect(argon2Calls).toBe(1);
  expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
  expect(argon2Calls).toBe(1);
  expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
  expect(await verifyPassword(stored, 'wrong')).toBe(false);
  expect(argon2Calls).toBe(3);
  // A new password has a new hash: the old one does not match it, the new one is checked by argon2id.
  const rotated = await hashPassword('a new password');
  expect(await verifyPassword(rotated, 'correct horse battery staple')).toBe(false);
  expect(await verifyPassword(rotated, 'a new password')).toBe(true);
  expect(argon2Calls).toBe(5);
  expect(await verifyPassword('not a hash', 'a new password')).toBe(false);
});
