import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { AssignReportInput, ReportCategoriesArgs, ReportsArgs, SubmitReportInput } from './report.inputs.js';
import {
  CitizenReport,
  CitizenReportConnection,
  ReportCategoryConnection,
  ReportStatusChange,
  type ReportHistoryRow,
} from './report.model.js';
import { ReportService } from './report.service.js';
import { CitizenObserver } from '../observers/observer.models.js';
import { ObserverService } from '../observers/observer.service.js';

const NOTE = {
  type: () => String,
  nullable: true,
  description: 'The internal note, kept in the history for staff only (at most 1000 characters).',
} as const;
const PUBLIC_NOTE = {
  type: () => String,
  nullable: true,
  description:
    'The public note: shown to the reporter and served by Open311 as status_notes until the next step (at most 1000 characters).',
} as const;

@Resolver(() => CitizenReport)
export class ReportResolver {
  constructor(
    private readonly reportService: ReportService,
    private readonly observers: ObserverService,
  ) {}

  @Query(() => ReportCategoryConnection, { description: 'Report categories (Open311 services) with their response hours.' })
  reportCategories(@Args() args: ReportCategoriesArgs): Promise<ReportCategoryConnection> {
    return this.reportService.categories(args);
  }

  @Query(() => CitizenReportConnection, { description: 'Citizen reports of your territory, newest first.' })
  reports(@CurrentCaller() caller: Caller, @Args() args: ReportsArgs): Promise<CitizenReportConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.reportService.list(caller, args);
  }

  @Query(() => CitizenReport, { description: 'A report of your territory, or one you made.' })
  report(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id (also its Open311 service_request_id)." }, ParseUuidPipe) id: string,
  ): Promise<CitizenReport> {
    return this.reportService.get(caller, id);
  }

  @Query(() => CitizenReportConnection, { description: 'The reports you made (随手拍, 观察团), newest first.' })
  myReports(@CurrentCaller() caller: Caller, @Args() args: ReportsArgs): Promise<CitizenReportConnection> {
    return this.reportService.mine(caller, args);
  }

  @Mutation(() => CitizenReport, { description: 'Files a report in status SUBMITTED, due after its category’s response hours.' })
  submitReport(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'What, where and, unless anonymous, who.' }) input: SubmitReportInput,
    @Args('idempotencyKey', {
      type: () => String,
      nullable: true,
      description: 'Send the same key on every retry: the report is filed once.',
    })
    idempotencyKey?: string | null,
  ): Promise<CitizenReport> {
    if (input.compoundId) input.compoundId = requireUuid(input.compoundId, 'compoundId');
    return this.reportService.submit(caller, input, idempotencyKey);
  }

  @Mutation(() => CitizenReport, { description: 'SUBMITTED → TRIAGED.' })
  triageReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id; it must be SUBMITTED." }, ParseUuidPipe) id: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ) {
    return this.reportService.triage(caller, id, { note, publicNote });
  }

  @Mutation(() => CitizenReport, { description: 'TRIAGED (or ASSIGNED, to reassign) → ASSIGNED to a bureau, team or unit.' })
  assignReport(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The report and whom it goes to.' }) input: AssignReportInput,
  ) {
    return this.reportService.assign(caller, requireUuid(input.id, 'id'), input.assigneeKind, requireUuid(input.assigneeId, 'assigneeId'), {
      note: input.note,
      publicNote: input.publicNote,
    });
  }

  @Mutation(() => CitizenReport, { description: 'ASSIGNED → IN_PROGRESS.' })
  startReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id; it must be ASSIGNED." }, ParseUuidPipe) id: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ) {
    return this.reportService.start(caller, id, { note, publicNote });
  }

  @Mutation(() => CitizenReport, { description: 'IN_PROGRESS → RESOLVED.' })
  resolveReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id; it must be IN_PROGRESS." }, ParseUuidPipe) id: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ) {
    return this.reportService.resolve(caller, id, { note, publicNote });
  }

  @Mutation(() => CitizenReport, { description: 'Any open status but DUPLICATE → REJECTED; the note (why) is required.' })
  rejectReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id; any open status but DUPLICATE." }, ParseUuidPipe) id: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ) {
    return this.reportService.reject(caller, id, { note, publicNote });
  }

  @Mutation(() => CitizenReport, { description: 'SUBMITTED or TRIAGED → DUPLICATE of an original that is not itself a duplicate.' })
  markReportDuplicate(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The duplicate's id; it must be SUBMITTED or TRIAGED." }, ParseUuidPipe) id: string,
    @Args('originalId', { type: () => ID, description: 'The original report; not itself a duplicate.' }, ParseUuidPipe) originalId: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ) {
    return this.reportService.markDuplicate(caller, id, originalId, { note, publicNote });
  }

  @Mutation(() => CitizenReport, {
    description:
      '核实: the problem is real. Once per report (CONFLICT ALREADY_VERIFIED), not for a REJECTED or DUPLICATE one; the status stays. Only a verified report may become evidence (openCase with citizenReportId).',
  })
  verifyReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id." }, ParseUuidPipe) id: string,
    @Args('note', NOTE) note?: string | null,
    @Args('publicNote', PUBLIC_NOTE) publicNote?: string | null,
  ): Promise<CitizenReport> {
    return this.reportService.verify(caller, id, { note, publicNote });
  }

  @Mutation(() => CitizenReport, {
    description:
      "Stops the public Open311 feed showing a report's description you judge private (staff and the reporter still read it). Needs REPORT_HANDLE in the report's territory; one-way.",
  })
  withholdReportDescription(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id." }, ParseUuidPipe) id: string,
  ): Promise<CitizenReport> {
    return this.reportService.withholdDescription(caller, id);
  }

  @Mutation(() => CitizenReport, {
    description: 'The reporter reopens a RESOLVED or REJECTED report: back to SUBMITTED, due anew. The note (why) is for the staff.',
  })
  reopenReport(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The report's id: one you filed, RESOLVED or REJECTED." }, ParseUuidPipe) id: string,
    @Args('note', { ...NOTE, description: 'Why you reopen it, for the staff (at most 1000 characters); never published.' })
    note?: string | null,
  ) {
    return this.reportService.reopen(caller, id, note ?? null);
  }

  @ResolveField(() => [ReportStatusChange], {
    description:
      'Every step with its notes, oldest first. Staff handling the report see actors and internal notes; its filer sees public notes and "staff".',
  })
  history(@Parent() report: CitizenReport, @Context() context: RequestContext): Promise<ReportStatusChange[]> {
    const loader = requestLoader<ReportHistoryRow[]>(context, 'CitizenReport.history', (ids) => this.reportService.history(ids));
    return loader.load(report.id).then((rows) => this.reportService.historyAsSeenBy(context.caller, report, rows ?? []));
  }

  @ResolveField(() => CitizenReport, { nullable: true, description: 'For a DUPLICATE: the original, if you may see it.' })
  duplicateOf(@Parent() report: CitizenReport, @Context() context: RequestContext): Promise<CitizenReport | null> {
    if (!report.duplicateOfId) return Promise.resolve(null);
    return this.visibleLoader(context).load(report.duplicateOfId);
  }

  @ResolveField(() => CitizenObserver, {
    nullable: true,
    description: 'For an OBSERVER report: the roster entry (observer, team, term) it is attributed to.',
  })
  observer(@Parent() report: CitizenReport, @Context() context: RequestContext): Promise<CitizenObserver | null> {
    if (!report.observerId) return Promise.resolve(null);
    return requestLoader<CitizenObserver>(context, 'CitizenObserver', (ids) => this.observers.observersByIds(ids)).load(report.observerId);
  }

  /** Batched; reports the caller may not see resolve to null. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<CitizenReport | null> {
    return this.visibleLoader(context).load(reference.id);
  }

  private visibleLoader(context: RequestContext) {
    return requestLoader<CitizenReport>(context, 'CitizenReport', (ids) => this.reportService.findVisible(context.caller, ids));
  }
}
