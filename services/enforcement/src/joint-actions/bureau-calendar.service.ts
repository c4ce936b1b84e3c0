import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, Role, hasPermission, type Caller } from '#libs/auth';
import { execute, queryFirst, queryRows } from '#libs/database';
import { InstitutionRef } from '#libs/references';
import { CALENDAR_SETTINGS, type CalendarSettings } from './calendar-settings.js';
import { serializeCalendar, type CalendarEvent } from './ical.js';
import { bureauTakesPart } from './joint-action.service.js';
import { JointActionService } from './joint-action.service.js';
import { JointActionStatus } from './joint-action-enums.js';
import { BureauCalendarFeed } from './joint-action.models.js';

/** A feed carries the actions of the last year and everything ahead, at most this many. */
const MAX_EVENTS = 2000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * Each bureau's iCalendar feed of the joint actions it leads or takes part in, at a secret address calendar apps
 * subscribe to. The token is 256 random bits shown once; only its SHA-256 is stored, and a new one replaces it.
 * The feed names units, bureaus and teams, never officers or anyone else.
 */
@Injectable()
export class BureauCalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly actions: JointActionService,
    @Inject(CALENDAR_SETTINGS) private readonly settings: CalendarSettings,
  ) {}

  async rotate(caller: Caller, bureauId: string): Promise<BureauCalendarFeed> {
    await this.actions.requireBureau(bureauId);
    // Who manages bureaus (district administrators), or an officer of the bureau: a street administrator does not hand out bureaus' feeds.
    if (!hasPermission(caller, Permission.BUREAU_MANAGE))
      await this.actions.requireActingFor({ ...caller, roles: caller.roles.filter((r) => r !== Role.STREET_ADMIN) }, bureauId);
    const token = randomBytes(32).toString('base64url');
    await execute(
      this.dataSource,
      `INSERT INTO bureau_calendar (bureau_id, token_hash, rotated_by) VALUES ($1, $2, $3)
       ON CONFLICT (bureau_id) DO UPDATE SET token_hash = excluded.token_hash, rotated_by = excluded.rotated_by, rotated_at = now()`,
      [bureauId, hashToken(token), caller.userId],
    );
    const path = `/calendars/${token}.ics`;
    return Object.assign(new BureauCalendarFeed(), {
      bureau: InstitutionRef.of(bureauId),
      path,
      url: `${this.settings.publicGatewayUrl}${path}`,
    });
  }

  /** The feed for a token, or null when no bureau holds it. */
  async feed(token: string): Promise<string | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const calendar = await queryFirst<{ bureauId: string; name: string }>(
      this.dataSource,
      `SELECT c.bureau_id AS "bureauId", coalesce(i.name, '执法部门') AS name
         FROM bureau_calendar c LEFT JOIN institution_copy i ON i.id = c.bureau_id WHERE c.token_hash = $1`,
      [hashToken(token)],
    );
    if (!calendar) return null;
    const rows = await queryRows<{
      id: string;
      title: string;
      startsAt: Date;
      endsAt: Date;
      status: JointActionStatus;
      revision: number;
      updatedAt: Date;
      units: string[];
      lead: string | null;
      teams: string[];
      campaign: string | null;
    }>(
      this.dataSource,
      `SELECT a.id, a.title, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status, a.revision, a.updated_at AS "updatedAt",
              ARRAY(SELECT t.name FROM unnest(a.target_unit_ids) WITH ORDINALITY AS u(id, n) JOIN territory_unit t ON t.id = u.id ORDER BY u.n) AS units,
              (SELECT name FROM institution_copy WHERE id = a.lead_bureau_id) AS lead,
              ARRAY(SELECT tm.name FROM enforcement_team tm WHERE tm.id = ANY(a.team_ids) ORDER BY tm.name) AS teams,
              (SELECT name FROM campaign WHERE id = a.campaign_id) AS campaign
         FROM joint_action a
        WHERE ${bureauTakesPart('$1')} AND a.ends_at > now() - interval '1 year'
        ORDER BY a.starts_at, a.id LIMIT ${MAX_EVENTS}`,
      [calendar.bureauId],
    );
    const events: CalendarEvent[] = rows.map((row) => ({
      uid: `${row.id}@joint-actions.enforcement`,
      sequence: row.revision,
      stamp: row.updatedAt,
      start: row.startsAt,
      end: row.endsAt,
      summary: row.title,
      location: row.units.join('、'),
      description: [
        row.lead ? `牵头单位：${row.lead}` : null,
        row.teams.length > 0 ? `参与队伍：${row.teams.join('、')}` : null,
        row.campaign ? `所属行动：${row.campaign}` : null,
      ]
        .filter(Boolean)
        .join('\n'),
      cancelled: row.status === JointActionStatus.CANCELLED,
    }));
    return serializeCalendar(`${calendar.name}联合执法行动`, events);
  }
}
