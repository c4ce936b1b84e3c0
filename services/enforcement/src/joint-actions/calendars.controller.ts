import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BureauCalendarService } from './bureau-calendar.service.js';

/**
 * `GET /calendars/<token>.ics`: a bureau's joint actions as iCalendar. The token in the address is the credential
 * (calendar apps cannot send headers), so there is no signed caller; the gateway passes the route through.
 */
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: BureauCalendarService) {}

  @Get(':file')
  async feed(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const match = /^(.+)\.ics$/.exec(file);
    const body = match ? await this.calendars.feed(match[1]) : null;
    if (body === null) throw new NotFoundException('No such calendar');
    response
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="joint-actions.ics"',
        'Cache-Control': 'private, max-age=300',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(body);
  }
}
