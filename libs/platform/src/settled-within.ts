/**
 * What `read` gave, or undefined when it failed or took longer than `ms`: for checks and scrapes that must answer
 * in bounded time while a database or Redis is away.
 */
export async function settledWithin<T>(read: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([read.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
