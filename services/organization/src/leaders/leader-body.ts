import { registerEnumType } from '@nestjs/graphql';

/** The district's four leadership bodies (区四套班子). */
export enum LeaderBody {
  PARTY_COMMITTEE = 'PARTY_COMMITTEE',
  PEOPLES_CONGRESS = 'PEOPLES_CONGRESS',
  GOVERNMENT = 'GOVERNMENT',
  CPPCC = 'CPPCC',
}

export const LEADER_BODY_LABEL_ZH: Record<LeaderBody, string> = {
  [LeaderBody.PARTY_COMMITTEE]: '区委',
  [LeaderBody.PEOPLES_CONGRESS]: '区人大',
  [LeaderBody.GOVERNMENT]: '区政府',
  [LeaderBody.CPPCC]: '区政协',
};

registerEnumType(LeaderBody, {
  name: 'LeaderBody',
  description: "Which of the district's four leadership bodies (四套班子) a leader belongs to.",
  valuesMap: Object.fromEntries(Object.entries(LEADER_BODY_LABEL_ZH).map(([body, zh]) => [body, { description: zh }])),
});
