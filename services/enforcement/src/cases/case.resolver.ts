import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { AssessmentService } from './assessment.service.js';
import {
  AppealPenaltyArgs,
  AssessmentArgs,
  CasesArgs,
  DecideAppealArgs,
  IssueRectificationNoticeArgs,
  OpenCaseInput,
  PenaliseArgs,
  RecordFollowUpArgs,
  RevokePenaltyArgs,
} from './case.inputs.js';
import {
  Case,
  CaseConnection,
  CaseHistoryEntry,
  PropertyCompanyAssessment,
  PropertyCompanyAssessmentConnection,
  RegulationArticle,
} from './case.models.js';
import { CaseService } from './case.service.js';
import { CitizenReport } from '../reports/report.model.js';
import { ReportService } from '../reports/report.service.js';

@Resolver(() => Case)
export class CaseResolver {
  constructor(
    private readonly caseService: CaseService,
    private readonly assessments: AssessmentService,
    private readonly reports: ReportService,
  ) {}

  @Query(() => [RegulationArticle], { description: 'Regulation articles cases can cite, with their fine ranges and appeal windows.' })
  regulationArticles(): Promise<RegulationArticle[]> {
    return this.caseService.regulationArticles();
  }

  @Query(() => Case, { description: 'One case of your territory (a property manager: one against their company).' })
  case(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The case's id." }, ParseUuidPipe) id: string,
  ): Promise<Case> {
    return this.caseService.get(caller, id);
  }

  @Query(() => CaseConnection, {
    description: 'Cases found in your territory (a property manager: those against their company), newest first.',
  })
  cases(@CurrentCaller() caller: Caller, @Args() args: CasesArgs): Promise<CaseConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.caseService.list(caller, args);
  }

  @Query(() => PropertyCompanyAssessmentConnection, {
    description:
      'Monthly assessment of the property companies with cases or graded compounds in the month, per street (in your territory; ' +
      'a property manager: their own company), lowest score first.',
  })
  propertyCompanyAssessment(@CurrentCaller() caller: Caller, @Args() args: AssessmentArgs): Promise<PropertyCompanyAssessmentConnection> {
    if (args.streetId) args.streetId = requireUuid(args.streetId, 'streetId');
    return this.assessments.list(caller, args.month, args, args.streetId);
  }

  @Query(() => PropertyCompanyAssessment, {
    description:
      "One property company's monthly assessment in a street (100 with nothing in the month). Without streetId: the one street " +
      'it had anything in (several: BAD_USER_INPUT, STREET_REQUIRED). A property manager: their own company only.',
  })
  propertyCompanyAssessmentOf(
    @CurrentCaller() caller: Caller,
    @Args('institutionId', { type: () => ID, description: 'The property company (an institution id).' }, ParseUuidPipe)
    institutionId: string,
    @Args('month', { description: 'YYYY-MM (Asia/Shanghai).' }) month: string,
    @Args('streetId', {
      type: () => ID,
      nullable: true,
      description: 'The street whose rules and compounds count; required when the company works in more than one street of your territory.',
    })
    streetId?: string | null,
  ): Promise<PropertyCompanyAssessment> {
    return this.assessments.ofCompany(caller, institutionId, month, streetId ? requireUuid(streetId, 'streetId') : null);
  }

  @Mutation(() => Case, { description: 'Opens a case (state OPENED).' })
  openCase(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'Whom the case is against, where, the article violated and the evidence.' }) input: OpenCaseInput,
    @Args('idempotencyKey', {
      type: () => String,
      nullable: true,
      description:
        'Send the same key (8–100 of A-Za-z0-9_.:-) on every retry: the case is opened once; the same key with another input is CONFLICT.',
    })
    idempotencyKey?: string | null,
  ): Promise<Case> {
    input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    if (input.householdId) input.householdId = requireUuid(input.householdId, 'householdId');
    if (input.institutionId) input.institutionId = requireUuid(input.institutionId, 'institutionId');
    if (input.actionFindingId) input.actionFindingId = requireUuid(input.actionFindingId, 'actionFindingId');
    if (input.citizenReportId) input.citizenReportId = requireUuid(input.citizenReportId, 'citizenReportId');
    input.evidenceUploadIds = input.evidenceUploadIds?.map((id) => requireUuid(id, 'evidenceUploadIds'));
    input.evidenceInspectionIds = input.evidenceInspectionIds?.map((id) => requireUuid(id, 'evidenceInspectionIds'));
    return this.caseService.open(caller, input, idempotencyKey);
  }

  @Mutation(() => Case, { description: 'OPENED → RECTIFICATION_NOTICE_ISSUED. At the comply-by date a job makes the case FOLLOW_UP_DUE.' })
  issueRectificationNotice(@CurrentCaller() caller: Caller, @Args() args: IssueRectificationNoticeArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.issueRectificationNotice(caller, args);
  }

  @Mutation(() => Case, { description: 'FOLLOW_UP_DUE → CLOSED (complied) or NOT_RECTIFIED.' })
  recordFollowUp(@CurrentCaller() caller: Caller, @Args() args: RecordFollowUpArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.recordFollowUp(caller, args);
  }

  @Mutation(() => Case, { description: "NOT_RECTIFIED → PENALISED; the fine must lie within the article's range (FINE_OUT_OF_RANGE)." })
  penalise(@CurrentCaller() caller: Caller, @Args() args: PenaliseArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.penalise(caller, args);
  }

  @Mutation(() => Case, { description: 'PENALISED → APPEALED, up to and including the appeal deadline (APPEAL_WINDOW_CLOSED after it).' })
  appealPenalty(@CurrentCaller() caller: Caller, @Args() args: AppealPenaltyArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.appealPenalty(caller, args);
  }

  @Mutation(() => Case, { description: 'APPEALED → UPHELD (the penalty becomes final and is exported) or OVERTURNED.' })
  decideAppeal(@CurrentCaller() caller: Caller, @Args() args: DecideAppealArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.decideAppeal(caller, args);
  }

  @Mutation(() => Case, {
    description: 'PENALISED | UPHELD → REVOKED (e.g. after reconsideration or a court decision). An export already made is retracted.',
  })
  revokePenalty(@CurrentCaller() caller: Caller, @Args() args: RevokePenaltyArgs): Promise<Case> {
    args.caseId = requireUuid(args.caseId, 'caseId');
    return this.caseService.revokePenalty(caller, args);
  }

  @ResolveField(() => [CaseHistoryEntry], { description: 'Every transition, oldest first.' })
  history(@Parent() parent: Case, @Context() context: RequestContext): Promise<CaseHistoryEntry[]> {
    const loader = requestLoader<CaseHistoryEntry[]>(context, 'CaseHistory', (ids) => this.caseService.historyOf(ids));
    return loader.load(parent.id).then((entries) => entries ?? []);
  }

  @ResolveField(() => CitizenReport, { nullable: true, description: 'The citizen report this case was opened from, if you may see it.' })
  citizenReport(@Parent() parent: Case, @Context() context: RequestContext): Promise<CitizenReport | null> {
    if (!parent.citizenReportId) return Promise.resolve(null);
    return requestLoader<CitizenReport>(context, 'CitizenReport', (ids) => this.reports.findVisible(context.caller, ids)).load(
      parent.citizenReportId,
    );
  }
}

/** A report's side of the link: the case opened from it, for those who read cases of its territory. */
@Resolver(() => CitizenReport)
export class ReportEvidenceResolver {
  constructor(private readonly caseService: CaseService) {}

  @ResolveField(() => Case, {
    nullable: true,
    description: 'The case opened from this report (evidenceKind CASE), if you may read cases of its territory.',
  })
  evidenceCase(@Parent() report: CitizenReport, @Context() context: RequestContext): Promise<Case | null> {
    if (report.evidenceKind === null) return Promise.resolve(null);
    return requestLoader<Case>(context, 'CaseByReport', (ids) => this.caseService.openedFromReports(context.caller, ids)).load(report.id);
  }
}
