import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { AccessTokenError, signAccessToken, verifyAccessToken, type AccessClaims } from '../access-token.js';
import { Role } from '../roles.js';

const secret = randomBytes(32).toString('hex');
const streetAdmin: AccessClaims = { sub: 'staff-7', roles: [Role.STREET_ADMIN], orgUnitId: '4a1f4c1e-9d0b-4f3e-8a51-0c6a3c1b2d7e' };

describe('signAccessToken / verifyAccessToken', () => {
  it('returns the claims that were signed', async () => {
    const token = await signAccessToken(streetAdmin, secret);
    await expect(verifyAccessToken(token, secret)).resolves.toEqual(streetAdmin);
  });

  it('lets a district-wide role carry no org unit', async () => {
    const claims: AccessClaims = { sub: 'staff-1', roles: [Role.DISTRICT_ADMIN, Role.BUREAU_OFFICER], orgUnitId: null };
    await expect(verifyAccessToken(await signAccessToken(claims, secret), secret)).resolves.toEqual(claims);
  });

  it("carries a property manager's company, and refuses one on any other role", async () => {
    const claims: AccessClaims = {
      sub: 'pm-1',
      roles: [Role.PROPERTY_MANAGER],
      orgUnitId: null,
      institutionId: '5b2e1c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
    };
    await expect(verifyAccessToken(await signAccessToken(claims, secret), secret)).resolves.toEqual(claims);
    await expect(signAccessToken({ ...streetAdmin, institutionId: claims.institutionId }, secret)).rejects.toThrow(
      /only role PROPERTY_MANAGER/,
    );
    await expect(signAccessToken({ ...claims, institutionId: null }, secret)).rejects.toThrow(/needs an institutionId/);
  });

  it('lower-cases the org unit, as the database prints ids', async () => {
    const upper = '7F0C4D2E-1B3A-4C5D-8E9F-0A1B2C3D4E5F';
    const token = await signAccessToken({ sub: 'u', roles: [Role.STREET_ADMIN], orgUnitId: upper }, secret);
    expect((await verifyAccessToken(token, secret)).orgUnitId).toBe(upper.toLowerCase());
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signAccessToken(streetAdmin, randomBytes(32).toString('hex'));
    await expect(verifyAccessToken(token, secret)).rejects.toStrictEqual(new AccessTokenError('invalid token'));
  });

  it('refuses a token that is not a JWT', async () => {
    await expect(verifyAccessToken('not.a.token', secret)).rejects.toBeInstanceOf(AccessTokenError);
  });

  it('says when a token has expired', async () => {
    const token = await signAccessToken(streetAdmin, secret, -60);
    await expect(verifyAccessToken(token, secret)).rejects.toStrictEqual(new AccessTokenError('token expired'));
  });

  it('refuses to sign a scoped role without an org unit', async () => {
    const claims: AccessClaims = { sub: 'staff-7', roles: [Role.STREET_ADMIN], orgUnitId: null };
    await expect(signAccessToken(claims, secret)).rejects.toThrow(AccessTokenError);
    await expect(signAccessToken(claims, secret)).rejects.toThrow(/STREET_ADMIN/);
  });

  it('refuses to sign an org unit that is not a UUID', async () => {
    await expect(signAccessToken({ ...streetAdmin, orgUnitId: 'street-1' }, secret)).rejects.toStrictEqual(
      new AccessTokenError('orgUnitId must be a UUID'),
    );
  });
});
