import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { ReportAssigneeKind, ReportChannel, ReportStatus } from './report-enums.js';

@ArgsType()
export class ReportsArgs extends PageArgs {
  @Field(() => ReportStatus, { nullable: true, description: 'Only reports in this status.' })
  status?: ReportStatus | null;

  @Field({ nullable: true, description: 'A category code.' })
  category?: string;

  @Field(() => ReportChannel, { nullable: true, description: 'Only reports that came by this channel.' })
  channel?: ReportChannel | null;

  @Field(() => ID, { nullable: true, description: 'Only reports about compounds in or under this unit.' })
  orgUnitId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: open reports past their due time; false: the others.' })
  overdue?: boolean | null;
}

@ArgsType()
export class ReportCategoriesArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Include inactive categories (default: active only).' })
  includeInactive?: boolean | null;
}

@InputType({ description: 'A citizen report (随手拍, hotline call, observer report): what, where, and optionally who.' })
export class SubmitReportInput {
  @Field(() => ReportChannel, {
    description:
      'APP or OBSERVER: you are the reporter. HOTLINE: you enter a call (needs REPORT_HANDLE). OPEN311 is for the public interface only.',
  })
  channel: ReportChannel;

  @Field({ description: 'A category code (see reportCategories).' })
  categoryCode: string;

  @Field({ description: '1–2000 characters.' })
  description: string;

  @Field(() => ID, { nullable: true, description: 'The compound; give it, or latitude and longitude, or both.' })
  compoundId?: string | null;

  @Field(() => Float, { nullable: true, description: 'WGS84.' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS84.' })
  longitude?: number | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Photos: your own uploads (POST /uploads), each evidence of one record only; at most 9.',
  })
  photoUploadIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The reporter’s name (for HOTLINE: the caller’s), up to 50 characters.' })
  reporterName?: string | null;

  @Field(() => String, { nullable: true, description: 'A phone number to call back, digits, 5–20.' })
  reporterPhone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Leave no name or phone with the report (your user id is still kept so you can follow and reopen it).',
  })
  anonymous?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'APP: show the description in the public Open311 feed (default true; false keeps it for staff only). HOTLINE and OBSERVER reports are never published: true is refused.',
  })
  publishDescription?: boolean | null;
}

@InputType({ description: 'Who should handle a triaged report.' })
export class AssignReportInput {
  @Field(() => ID, { description: "The report's id; it must be TRIAGED or ASSIGNED." })
  id: string;

  @Field(() => ReportAssigneeKind, { description: 'Whether assigneeId is a bureau, a team or an org unit.' })
  assigneeKind: ReportAssigneeKind;

  @Field(() => ID, { description: 'A bureau (institution) id, a team id, or an org unit id inside your territory.' })
  assigneeId: string;

  @Field(() => String, { nullable: true, description: 'The internal note, for staff only (at most 1000 characters).' })
  note?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The public note: shown to the reporter and served by Open311 as status_notes (at most 1000 characters).',
  })
  publicNote?: string | null;
}
