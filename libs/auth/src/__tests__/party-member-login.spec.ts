import { describe, expect, it } from '@jest/globals';
import { isPartyMemberLogin, partyMemberIdOf, partyMemberLogin } from '../party-member-login.js';

const ID = '0f1e2d3c-4b5a-4697-8877-665544332211';

describe("a party member's phone login (member-<id>)", () => {
  it('is made from the member id and read back from a caller', () => {
    expect(partyMemberLogin(ID.toUpperCase())).toBe(`member-${ID}`);
    expect(partyMemberIdOf({ userId: partyMemberLogin(ID) })).toBe(ID);
    expect(partyMemberIdOf({ userId: `member-${ID.toUpperCase()}` })).toBe(ID);
  });

  it('names no member for any other subject: a bare id, a staff account, a longer or shorter text', () => {
    for (const userId of [
      ID,
      'member-1',
      'member-without-id',
      `member-${ID}x`,
      `xmember-${ID}`,
      `member-${ID.slice(0, 35)}`,
      'community-secretary-1',
    ]) {
      expect({ userId, id: partyMemberIdOf({ userId }), reserved: isPartyMemberLogin(userId) }).toEqual({
        userId,
        id: null,
        reserved: false,
      });
    }
  });
});
