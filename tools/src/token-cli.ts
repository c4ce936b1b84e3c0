import { parseArgs } from 'node:util';
import { isRole, signAccessToken, Role } from '#libs/auth';
import { EnvironmentError, parseEnvironment, secret } from '#libs/config';
import { loadLocalEnvironment } from './local-env.js';

/**
 * `npm run token -- --role ROLE [--org ORG_UNIT_ID] [--household HOUSEHOLD_ID] [--institution PROPERTY_COMPANY_ID] [--sub USER] [--hours H]`: prints a
 * development token signed
 * with JWT_SECRET. Production tokens come from the identity provider, so this refuses NODE_ENV=production.
 */
if (process.env.NODE_ENV === 'production') {
  console.error('npm run token mints development tokens and refuses to run with NODE_ENV=production.');
  process.exit(2);
}
const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    org: { type: 'string' },
    household: { type: 'string' },
    institution: { type: 'string' },
    sub: { type: 'string' },
    hours: { type: 'string' },
  },
});
const roles = values.role ?? [];
if (roles.length === 0 || !roles.every(isRole)) {
  console.error(`--role is required, one or more of: ${Object.values(Role).join(', ')}`);
  process.exit(2);
}
try {
  loadLocalEnvironment();
  const { JWT_SECRET } = parseEnvironment({ JWT_SECRET: secret('JWT_SECRET') });
  const token = await signAccessToken(
    {
      sub: values.sub ?? `dev-${roles[0].toLowerCase()}`,
      roles,
      orgUnitId: values.org ?? null,
      householdId: values.household ?? null,
      institutionId: values.institution ?? null,
    },
    JWT_SECRET,
    Number(values.hours ?? 12) * 3600,
  );
  console.log(token);
} catch (error) {
  console.error(error instanceof EnvironmentError ? error.message : (error as Error).message);
  process.exit(2);
}
