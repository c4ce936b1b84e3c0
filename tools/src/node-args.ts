/**
 * How every platform process runs Node: source maps for stack traces, and a 384 MB old-generation heap. Without the
 * cap, V8 on a large machine lets garbage pile up before it collects: a households worker relaying a month's grade
 * events for 500,000 households peaked at 530–670 MB RSS, with the same run taking 360 MB under a cap and no longer.
 * Live data stays far below it: work is done in chunks (a community, 50 events, a page) by design.
 */
export const PROCESS_NODE_ARGS: readonly string[] = ['--enable-source-maps', '--max-old-space-size=384'];
