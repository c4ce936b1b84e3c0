import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The API's error codes and reasons in the words an official reads; the raw reason follows in brackets. */
const CODE_ZH: Record<string, string> = {
  UNAUTHENTICATED: '登录已失效，请重新登录',
  FORBIDDEN: '无权访问：不在您的辖区或权限范围内',
  NOT_FOUND: '未找到',
  BAD_USER_INPUT: '输入有误',
  CONFLICT: '数据已被他人修改，请刷新后重试',
  SUBGRAPH_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  RATE_LIMITED: '请求过于频繁，请稍后重试',
  INTERNAL_SERVER_ERROR: '系统内部错误',
};

const REASON_ZH: Record<string, string> = {
  OUT_OF_SCOPE: '不在您的辖区内',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  TOKEN_MALFORMED: '登录凭证无效，请重新登录',
  DEVELOPMENT_TOKEN_REFUSED: '演示登录凭证不被接受，请通过统一身份认证登录',
  FUTURE_MONTH: '所选月份尚未到来',
  INVALID_MONTH: '月份格式应为 YYYY-MM',
  INVALID_RANGE: '起止月份有误',
  RANGE_TOO_LONG: '时间跨度过长（最多 36 个月）',
  SCHEDULE_CONFLICT: '时间冲突：该时段内同一队伍、人员或区域（含其上下级区域）已有联合执法',
  ENDS_BEFORE_START: '结束时间早于开始时间',
  WINDOW_TOO_LONG: '一次联合执法最长 7 天',
  INVALID_TRANSITION: '当前状态下不能这样操作',
  OUTSIDE_REMIT: '区域不在牵头部门的职责范围内',
  NESTED_TARGETS: '所选区域互相包含，请只选其一',
  NO_TARGET: '请至少选择一个区域',
  NOT_A_BUREAU: '牵头单位须为职能部门',
  INVALID_TITLE: '标题应为 1–100 个字',
  INVALID_REASON: '原因应为 1–500 个字',
  ACTION_CANCELLED: '该行动已取消',
  ACTION_REPORTED: '该行动已报告',
  ALREADY_VERIFIED: '该举报已核实',
  REPORT_NOT_VERIFIED: '举报尚未核实，不能作为立案证据',
  REPORT_ALREADY_EVIDENCE: '该举报已作为证据使用',
  REPORT_LOCATION_MISMATCH: '当事户不在举报所指的小区',
  ARTICLE_NOT_APPLICABLE: '该条款不适用于此类对象',
  UNKNOWN_ARTICLE: '没有这一条款',
  INVALID_EVIDENCE: '查实情况应为 1–2000 个字',
};

/** One line for an error banner: the Chinese meaning of the reason (or code), then the API's own message. */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors
      .map((item) => {
        const code = typeof item.extensions?.code === 'string' ? item.extensions.code : undefined;
        const reason = typeof item.extensions?.reason === 'string' ? item.extensions.reason : undefined;
        const words = (reason && REASON_ZH[reason]) ?? (code && CODE_ZH[code]) ?? '请求未成功';
        return `${words}（${reason ?? code ?? 'ERROR'}：${item.message}）`;
      })
      .join('；');
  }
  if (ServerError.is(error)) return error.statusCode === 401 ? CODE_ZH.UNAUTHENTICATED : `服务器错误（HTTP ${error.statusCode}）`;
  return error instanceof Error ? `网络或系统错误：${error.message}` : '未知错误';
}

/** A token that expired or was refused: the official has to sign in again (the API answers 401 UNAUTHENTICATED). */
export function needsSignIn(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((item) => item.extensions?.code === 'UNAUTHENTICATED');
  return ServerError.is(error) && error.statusCode === 401;
}
