export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as { __testContainers?: { stop(): Promise<unknown> }[] }).__testContainers ?? [];
  await Promise.all(containers.map((container) => container.stop()));
}
