import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createLogger, loggerOptions, runWithRequestId } from '../index.js';

/** A logger of the platform writing into an array, as a process writes to stdout. */
function capturing(
  build = (write: { write: (line: string) => void }) => createLogger({ NODE_ENV: 'production', LOG_LEVEL: 'log' }, 'households', write),
) {
  const lines: string[] = [];
  return { logger: build({ write: (line) => lines.push(line) }), lines };
}

/** A household as the registry reads it, residents with their personal data, and the headers of a request. */
const household = {
  id: '0b6c2a52-6a43-4d8e-9a55-0f1f3a3c7e01',
  compoundId: '7c1e9d1a-3f7b-4f0e-8a6b-1d2f3e4a5b6c',
  address: '幸福小区 3 幢 2 单元 501',
  residents: [
    { id: 'r-1', name: '张三丰', phone: '13812345678', birthDate: '1950-03-01', idNumber: '330203195003011234', maskedName: '张**' },
    { id: 'r-2', name: '李小龙', phone: '13987654321', birth_date: '2015-06-01', guardianName: '李大龙', guardianPhone: '13700001111' },
  ],
  propertyResponsiblePerson: { contactName: '王经理', contactPhone: '13600002222' },
};
const personal = [
  '张三丰',
  '13812345678',
  '1950-03-01',
  '330203195003011234',
  '李小龙',
  '13987654321',
  '2015-06-01',
  '李大龙',
  '13700001111',
  '王经理',
  '13600002222',
  '幸福小区',
];
const secrets = ['Bearer eyJhbGciOi.secret.token', 'wsk_live_abcdef0123456789', 'session=abc123'];

describe('the platform logger', () => {
  it('writes no name, phone, birth date, id number, address or credential of an object it is given, at any depth', () => {
    const { logger, lines } = capturing();
    logger.info({ household }, 'household read');
    logger.info({ households: [household] }, 'page read');
    logger.info({ req: { headers: { authorization: secrets[0], 'x-api-key': secrets[1], cookie: secrets[2] } } }, 'request');
    logger.info(household.residents[0], 'a resident on its own');
    const output = lines.join('');
    for (const value of [...personal, ...secrets]) expect(output).not.toContain(value);
    // What is not personal stays readable: ids and the masked name.
    expect(output).toContain(household.id);
    expect(output).toContain('r-2');
    expect(output).toContain('张**');
    expect(output).toContain('[REDACTED]');
  });

  it('would write them without its redact paths: the check above can fail', () => {
    // The same logger options less `redact`, as if the paths had been removed (how this test was checked: deleting
    // REDACT_PATHS from loggerOptions makes the test above fail on the first name).
    const { logger, lines } = capturing((write) =>
      pino({ ...loggerOptions({ NODE_ENV: 'production', LOG_LEVEL: 'log' }, 'households'), redact: undefined }, write),
    );
    logger.info({ household }, 'household read');
    logger.info({ req: { headers: { authorization: secrets[0] } } }, 'request');
    const output = lines.join('');
    expect(output).toContain('张三丰');
    expect(output).toContain('13812345678');
    expect(output).toContain(secrets[0]);
  });

  it('adds the request id to every line logged inside a request or job, and none outside', () => {
    const { logger, lines } = capturing();
    runWithRequestId('req-0123456789', () => logger.info('inside'));
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', requestId: 'req-0123456789', level: 'info', process: 'households' });
    expect(outside).not.toHaveProperty('requestId');
    // A logger that already binds the id (pino-http's request logger) writes it once.
    lines.length = 0;
    runWithRequestId('req-0123456789', () => logger.child({ requestId: 'req-0123456789' }).info('bound'));
    expect(lines[0].match(/"requestId"/g)).toHaveLength(1);
  });

  it('logs at LOG_LEVEL and above', () => {
    const { logger, lines } = capturing((write) => createLogger({ NODE_ENV: 'production', LOG_LEVEL: 'warn' }, 'gateway', write));
    logger.info('quiet');
    logger.warn('heard');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['heard']);
  });
});
