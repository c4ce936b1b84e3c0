import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { TerritoryModule } from '../territory/territory.module.js';
import { BranchRegistrationResolver, PartyMemberResolver } from './party-member.resolver.js';
import { PartyMemberService } from './party-member.service.js';
import { PartyOrgResolver, SecretaryPostResolver } from './party-org.resolver.js';
import { PartyOrgService } from './party-org.service.js';

/** The "1 + 3 + N" structure: party organisations, their secretaries, party members and dual registration. */
@Module({
  imports: [TerritoryModule, InstitutionsModule],
  providers: [
    PersonalDataAudit,
    PartyOrgService,
    PartyMemberService,
    PartyOrgResolver,
    SecretaryPostResolver,
    PartyMemberResolver,
    BranchRegistrationResolver,
  ],
  exports: [PartyOrgService, PartyMemberService],
})
export class PartyModule {}
