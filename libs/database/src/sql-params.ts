/** Collects positional parameters while a query is assembled: `where.push(\`kind = ${p.add(kind)}\`)`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** The next placeholder number, for helpers that take a run of parameters. */
  get next(): number {
    return this.values.length + 1;
  }
}
