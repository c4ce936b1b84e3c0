// Owns the console's development sign-in: POST /dev/sign-in mints a development token as `npm run token` does. It is
// mounted only outside production (console-route.ts), where development tokens are accepted at all (access-tokens.ts).
import express from 'express';
import { AccessTokenError, isRole, signAccessToken } from '#libs/auth';

/** As long as `npm run token`'s default: a working day. */
const TOKEN_HOURS = 12;

/** `secret` is JWT_SECRET, which the gateway holds only outside production. */
export function mountDevSignIn(app: express.Express, secret: string): void {
  app.post('/dev/sign-in', express.json({ limit: '2kb' }), async (req, res) => {
    const { role, orgUnitId } = (req.body ?? {}) as { role?: unknown; orgUnitId?: unknown };
    if (typeof role !== 'string' || !isRole(role) || (orgUnitId != null && typeof orgUnitId !== 'string')) {
      res.status(400).json({ message: 'role must be a role and orgUnitId a unit id or null' });
      return;
    }
    try {
      const token = await signAccessToken(
        { sub: `dev-${role.toLowerCase()}`, roles: [role], orgUnitId: orgUnitId ?? null },
        secret,
        TOKEN_HOURS * 3600,
      );
      res.json({ token });
    } catch (error) {
      // The token's scope rules (a street admin needs a unit, a resident a household, …) say what is wrong.
      if (error instanceof AccessTokenError) res.status(400).json({ message: error.message });
      else throw error;
    }
  });
}
