import { queryFirst, type SqlExecutor } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Occupation } from './registry-enums.js';

/**
 * The kinds of institution a resident of each occupation may name: an employed resident's employer (a company or a
 * government department), a student's school. Other occupations name none (checked with the rest of the input).
 */
export const INSTITUTION_KINDS_FOR_OCCUPATION: Partial<Record<Occupation, readonly string[]>> = {
  [Occupation.EMPLOYED]: ['EMPLOYER', 'DEPARTMENT'],
  [Occupation.STUDENT]: ['SCHOOL'],
};

/**
 * Refuses a resident's institution that organization does not know, or of a kind their occupation does not go with
 * (a media outlet as a student's school), as BAD_USER_INPUT with the reason. Checked against households' copy of
 * organization's institutions, inside the caller's transaction before anything is written. Notices follow a
 * resident's institution, so a wrong one would send a resident's grade where it does not belong.
 */
export async function requireResidentInstitution(db: SqlExecutor, occupation: Occupation, institutionId: string | null): Promise<void> {
  if (institutionId === null) return;
  const kinds = INSTITUTION_KINDS_FOR_OCCUPATION[occupation];
  if (!kinds)
    throw DomainError.badInput('Only employed residents and students have an employer or school', 'INSTITUTION_NOT_FOR_OCCUPATION');
  const institution = await queryFirst<{ kind: string }>(db, `SELECT kind FROM institution_copy WHERE id = $1`, [institutionId]);
  if (!institution) {
    throw DomainError.badInput(`No institution ${institutionId} is known`, 'UNKNOWN_INSTITUTION', { institutionId });
  }
  if (!kinds.includes(institution.kind)) {
    throw DomainError.badInput(
      `A resident who is ${occupation} names an institution of kind ${kinds.join(' or ')}, not ${institution.kind}`,
      'WRONG_INSTITUTION_KIND',
      { institutionId, kind: institution.kind, expected: kinds },
    );
  }
}
