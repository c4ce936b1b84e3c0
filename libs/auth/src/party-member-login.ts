/**
 * One identity for a party member across organization and households (双重监督): the phone login of party member `<id>`
 * is the token subject `member-<id>`. organization records it as the member's account (`party_member.user_id`, given
 * by default and reserved: no other member may carry it); households reads the member id from it to find the resident
 * whose `party_member_id` it is. So one token checks in, logs the duties of the member's posts and reads the member's
 * own index and check-ins, and never another member's.
 */
const LOGIN_PREFIX = 'member-';
const MEMBER_LOGIN = /^member-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The token subject (and organization's account) of the party member `partyMemberId`: `member-<id>`. */
export function partyMemberLogin(partyMemberId: string): string {
  return `${LOGIN_PREFIX}${partyMemberId.toLowerCase()}`;
}

/** True when `userId` has the reserved form of a party member's phone login, `member-<uuid>` (any member's). */
export function isPartyMemberLogin(userId: string): boolean {
  return MEMBER_LOGIN.test(userId);
}

/**
 * The party member a caller signs in as: the id in a `member-<id>` subject (lower case, as PostgreSQL prints uuids),
 * null for any other subject. Any role may carry it: a community secretary is a party member too.
 */
export function partyMemberIdOf(caller: { userId: string }): string | null {
  const match = MEMBER_LOGIN.exec(caller.userId);
  return match ? match[1].toLowerCase() : null;
}
