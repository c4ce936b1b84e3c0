import { hasPermission, type Caller, type Permission } from '#libs/auth';
import { DomainError } from '#libs/errors';

/** FORBIDDEN (MISSING_PERMISSION) unless one of the caller's roles grants one of `permissions`. */
export function requireAnyPermission(caller: Caller, ...permissions: Permission[]): void {
  if (!permissions.some((permission) => hasPermission(caller, permission))) {
    throw DomainError.forbidden(`Your role does not allow ${permissions.join(' or ')}`, 'MISSING_PERMISSION');
  }
}
