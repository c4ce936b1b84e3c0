import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { InstitutionsModule } from '../institutions/institutions.module.js';
import { TerritoryModule } from '../territory/territory.module.js';
import {
  VolunteerContestEntryResolver,
  VolunteerContestResolver,
  VolunteerQuizAnswerResolver,
  VolunteerQuizResolver,
} from './quiz-contest.resolver.js';
import { VolunteerContestService } from './volunteer-contest.service.js';
import { VolunteerQuizService } from './volunteer-quiz.service.js';
import { VolunteerActivityService } from './volunteer-activity.service.js';
import { VolunteerHoursService } from './volunteer-hours.service.js';
import { VolunteerTeamService } from './volunteer-team.service.js';
import {
  PublishedVolunteerActivityResolver,
  VolunteerActivityResolver,
  VolunteerHoursResolver,
  VolunteerResolver,
  VolunteerSignUpResolver,
  VolunteerTeamResolver,
} from './volunteers.resolver.js';

/**
 * Volunteering (志愿服务): teams of compound branches, volunteers, activities of the four role-model campaigns with
 * sign-ups, check-ins and hours approved in bulk, the published feed, and monthly hours (also as the
 * `member_volunteer_hours` view the vanguard index reads), online quizzes and contests with entries and awards.
 */
@Module({
  imports: [TerritoryModule, InstitutionsModule],
  providers: [
    PersonalDataAudit,
    VolunteerTeamService,
    VolunteerActivityService,
    VolunteerHoursService,
    VolunteerTeamResolver,
    VolunteerResolver,
    VolunteerActivityResolver,
    PublishedVolunteerActivityResolver,
    VolunteerSignUpResolver,
    VolunteerHoursResolver,
    VolunteerQuizService,
    VolunteerContestService,
    VolunteerQuizResolver,
    VolunteerQuizAnswerResolver,
    VolunteerContestResolver,
    VolunteerContestEntryResolver,
  ],
})
export class VolunteersModule {}
