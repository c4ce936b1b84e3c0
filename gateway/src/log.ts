/** The gateway's log lines: JSON in production for the log pipeline, plain text otherwise. Never personal data. */
export function log(level: 'log' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line =
    process.env.NODE_ENV === 'production'
      ? JSON.stringify({ level, time: new Date().toISOString(), context: 'Gateway', message, ...fields })
      : `[Gateway] ${message}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`;
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(line);
}
