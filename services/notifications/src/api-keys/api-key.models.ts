import { ArgsType, Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';

export interface ApiKeyRow {
  id: string;
  institutionId: string;
  prefix: string;
  label: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

@ObjectType({ description: "An institution's API key, as lists show it: the prefix, never the secret." })
export class InstitutionApiKey {
  @Field(() => ID)
  id: string;

  @Field(() => InstitutionRef)
  institution: InstitutionRef;

  @Field({ description: 'The visible start of the key, e.g. wsk_k3j5t7abcd.' })
  prefix: string;

  @Field()
  label: string;

  @Field()
  createdBy: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Set when the key was rotated: it keeps working until then.' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last time it authenticated a request (to the minute).' })
  lastUsedAt: Date | null;

  @Field({ description: 'Neither revoked nor past its expiry.' })
  active: boolean;

  static from(row: ApiKeyRow, now = new Date()): InstitutionApiKey {
    return Object.assign(new InstitutionApiKey(), {
      ...row,
      institution: InstitutionRef.of(row.institutionId),
      active: row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now),
    });
  }
}

@ObjectType()
export class InstitutionApiKeyConnection extends Connection(InstitutionApiKey, 'InstitutionApiKey') {}

@ObjectType({ description: 'A new key. The secret is shown this once and never again: only its hash is kept.' })
export class IssuedApiKey {
  @Field(() => InstitutionApiKey)
  apiKey: InstitutionApiKey;

  @Field({ description: 'The whole key, to send as the x-api-key header.' })
  secret: string;
}

@ArgsType()
export class InstitutionApiKeysArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Staff: whose keys. An institution always sees its own.' })
  institutionId?: string | null;
}
