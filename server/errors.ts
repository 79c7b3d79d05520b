/**
 * The one error catalogue: every code the API answers, with its status and a message template in
 * zh-CN and en. Services throw `fail(code, params)`; one middleware answers `{message, code, params?,
 * details?, errors?}` in the reader's language. Templates name params in braces: `{field}`.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, en: "The request is not valid: {reason}", zh: "请求无效：{reason}" },
  MALFORMED_JSON: { status: 400, en: "The request body is not valid JSON", zh: "请求内容不是有效的 JSON" },
  INVALID_BODY: {
    status: 400,
    en: "Request body is invalid: {pointer} {problem}",
    zh: "请求内容有误：{pointer} {problem}",
  },
  INVALID_QUERY: {
    status: 400,
    en: 'Query parameter "{parameter}" is invalid: {problem}',
    zh: "查询参数“{parameter}”有误：{problem}",
  },
  INVALID_PATH: {
    status: 400,
    en: "Path parameter {parameter} is invalid: {problem}",
    zh: "路径参数 {parameter} 有误：{problem}",
  },
  INVALID_TEXT: {
    status: 400,
    en: "{field} contains a character that cannot be stored (a NUL byte or an unpaired surrogate)",
    zh: "{field} 含有无法保存的字符（NUL 或不成对的代理字符）",
  },
  JSON_TOO_DEEP: {
    status: 400,
    en: "The {in} is nested deeper than {limit} levels at {pointer}",
    zh: "{in} 的嵌套层数超过 {limit} 层（位置 {pointer}）",
  },
  INVALID_HEADER: { status: 400, en: "Header {header} is invalid", zh: "请求头 {header} 无效" },
  INVALID_FILTER: { status: 400, en: "filter.{field} is invalid: {problem}", zh: "筛选条件 {field} 有误：{problem}" },
  INVALID_SORT: { status: 400, en: 'Cannot sort {resource} by "{field}"', zh: "{resource} 不能按“{field}”排序" },
  INVALID_DATE: {
    status: 400,
    en: "{field} must be a date written as YYYY-MM-DD",
    zh: "{field} 必须是 YYYY-MM-DD 格式的日期",
  },
  INVALID_MONTH: {
    status: 400,
    en: "{field} must be a month written as YYYY-MM",
    zh: "{field} 必须是 YYYY-MM 格式的月份",
  },
  INVALID_VERSION: { status: 400, en: 'version must be a version number or "draft"', zh: "版本必须是版本号或 draft" },
  INVALID_REVISION: { status: 400, en: "revision must be a whole number", zh: "revision 必须是整数" },
  REVISION_REQUIRED: {
    status: 400,
    en: "revision is required: send the revision you loaded",
    zh: "缺少 revision：请提交您载入时的版本号",
  },
  INVALID_FACTS: { status: 400, en: "{pointer}: {problem}", zh: "{pointer}：{problem}" },
  INVALID_RULE_SET: { status: 400, en: "{pointer}: {problem}", zh: "{pointer}：{problem}" },
  UNDEFINED_FACT: { status: 400, en: "{problem}", zh: "缺少事实（规则集不允许未定义的事实）：{problem}" },
  PATH_FAILED: { status: 400, en: "{problem}", zh: "路径求值失败：{problem}" },
  INVALID_POLICY_TABLE: { status: 400, en: "{pointer}: {problem}", zh: "{pointer}：{problem}" },
  INVALID_CSV: { status: 400, en: "The CSV file has errors: {problem}", zh: "CSV 文件有误：{problem}" },
  INVALID_KEY: { status: 400, en: "{field} is not a valid key: {problem}", zh: "{field} 不是有效的标识：{problem}" },
  INVALID_REFERENCE: {
    status: 400,
    en: "{field} does not name a record of this tenant",
    zh: "{field} 引用的记录不存在或不属于本租户",
  },
  INVALID_WAGE: { status: 400, en: "{problem}", zh: "工资有误：{problem}" },
  INVALID_RATE: { status: 400, en: "{problem}", zh: "费率有误：{problem}" },
  INVALID_INPUT: { status: 400, en: "{problem}", zh: "输入有误：{problem}" },
  NO_POLICY: { status: 400, en: "{problem}", zh: "没有适用的政策：{problem}" },
  UNKNOWN_TABLE: { status: 400, en: 'There is no policy table "{table}"', zh: "没有政策表“{table}”" },
  UNKNOWN_COLUMN: { status: 400, en: 'There is no column "{column}"', zh: "没有列“{column}”" },
  DUPLICATE_COLUMN: { status: 400, en: 'Column "{column}" appears twice', zh: "列“{column}”重复" },
  COLUMN_NAME: { status: 400, en: "{problem}", zh: "列名有误：{problem}" },
  INCOMPLETE_PROFILE: { status: 400, en: "{problem}", zh: "员工资料不完整：{problem}" },
  NO_EMPLOYEE: { status: 400, en: "This user is not linked to an employee", zh: "该用户未关联员工" },
  VALIDATION_FAILED: { status: 400, en: "Validation failed: {field} {problem}", zh: "校验未通过：{field} {problem}" },
  UNAUTHORIZED: { status: 401, en: "Authentication required", zh: "请先登录" },
  INVALID_TOKEN: { status: 401, en: "Invalid token", zh: "登录凭证无效，请重新登录" },
  TOKEN_EXPIRED: { status: 401, en: "Token expired", zh: "登录已过期，请重新登录" },
  INVALID_CREDENTIALS: { status: 401, en: "Wrong email or password", zh: "邮箱或密码错误" },
  WRONG_PASSWORD: { status: 400, en: "The current password is wrong", zh: "当前密码不正确" },
  ACCOUNT_DISABLED: { status: 403, en: "This account is disabled", zh: "该账号已被停用" },
  CANNOT_DISABLE_SELF: { status: 409, en: "You cannot disable your own account", zh: "不能停用自己的账号" },
  FORBIDDEN: { status: 403, en: "Not allowed", zh: "无权执行此操作" },
  ROLE_FORBIDDEN: { status: 403, en: "This needs the role {roles}", zh: "此操作需要角色：{roles}" },
  TENANT_FORBIDDEN: {
    status: 403,
    en: 'Tenant "{tenant}" is not available to this user',
    zh: "您无权访问租户“{tenant}”",
  },
  TENANT_REQUIRED: { status: 403, en: "Choose a tenant with the X-Tenant header", zh: "请用 X-Tenant 请求头选择租户" },
  NO_TENANT: { status: 403, en: "This user has no tenant", zh: "该用户没有任何租户" },
  READ_ONLY_ENTITY: { status: 403, en: "{resource} is read-only", zh: "{resource} 为只读" },
  NOT_FOUND: { status: 404, en: "{resource}: no record {id}", zh: "{resource}：找不到记录 {id}" },
  ROUTE_NOT_FOUND: { status: 404, en: "No route {method} {path}", zh: "没有接口 {method} {path}" },
  UNKNOWN_ENTITY: { status: 404, en: 'There is no entity "{entity}"', zh: "没有实体“{entity}”" },
  NO_VERSION_IN_FORCE: {
    status: 404,
    en: '"{key}" has no published version in force on {at}',
    zh: "“{key}”在 {at} 没有生效的已发布版本",
  },
  NO_ROW_IN_FORCE: { status: 404, en: "No row in force for {key} on {date}", zh: "{date} 没有 {key} 的生效行" },
  STALE_REVISION: {
    status: 409,
    en: "Someone saved a newer revision ({current}); reload and apply your change again",
    zh: "已有人保存了更新的版本（{current}），请刷新后重新修改",
  },
  TESTS_FAILED: {
    status: 409,
    en: "{failed} of {total} test case(s) fail: {names}",
    zh: "{total} 个测试用例中有 {failed} 个未通过：{names}",
  },
  DRAFT_UNCHANGED: {
    status: 409,
    en: "The draft of {key} is the same as version {version}: there is nothing new to publish",
    zh: "{key} 的草稿与第 {version} 版完全相同，没有可发布的新内容",
  },
  VERSION_IMMUTABLE: { status: 409, en: "A published version cannot be changed", zh: "已发布的版本不能修改" },
  STILL_REFERENCED: {
    status: 409,
    en: "{resource} {id} cannot be deleted: {by} still refer to it",
    zh: "{resourceZh} {id} 仍被{byZh}引用，无法删除",
  },
  DUPLICATE: { status: 409, en: "A record with this {field} already exists", zh: "已存在相同 {field} 的记录" },
  FIELD_EXISTS: { status: 400, en: 'Field "{field}" already exists', zh: "字段“{field}”已存在" },
  BODY_TOO_LARGE: {
    status: 413,
    en: "The request body is larger than the limit of {limit} bytes",
    zh: "请求内容超过 {limit} 字节的上限",
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, en: "Send the body as {type}", zh: "请以 {type} 格式提交" },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    en: "Too many failed logins. Try again in {retryAfterSeconds} seconds.",
    zh: "登录失败次数过多，请 {retryAfterSeconds} 秒后再试",
  },
  MONTHLY_RUN_FAILED: {
    status: 500,
    en: "The monthly run for {month} stopped with an unexpected error; nothing of the failed chunk was stored.",
    zh: "{month} 的月度运行因意外错误中止；出错批次的数据均未保存。",
  },
  JOB_DEAD: {
    status: 500,
    en: "The job stopped after {attempts} attempts; what its committed steps stored is kept.",
    zh: "任务在尝试 {attempts} 次后终止；已提交步骤的数据均已保留。",
  },
  LOGIN_BUSY: {
    status: 429,
    en: "Too many logins at once. Try again in {retryAfterSeconds} seconds.",
    zh: "同时登录的请求过多，请 {retryAfterSeconds} 秒后再试",
  },
  INTERNAL_ERROR: { status: 500, en: "An unexpected error occurred.", zh: "发生了意外错误。" },
} as const satisfies Record<string, { status: number; en: string; zh: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type Locale = "zh-CN" | "en";
export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

export function renderTemplate(template: string, params: ErrorParams = {}): string {
  return template
    .replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])))
    .trim();
}

/** The catalogue message for a code in a locale. */
export function errorMessage(code: ErrorCode, params: ErrorParams = {}, locale: Locale = "en"): string {
  const entry = ERRORS[code];
  return renderTemplate(locale === "zh-CN" ? entry.zh : entry.en, params);
}

export interface ErrorExtra {
  /** Replaces the English message (the template still gives the Chinese one). */
  message?: string;
  details?: unknown;
  /** Field errors in react-admin's server-side validation shape. */
  errors?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly extra: ErrorExtra = {},
  ) {
    super(extra.message ?? errorMessage(code, params));
    this.name = "AppError";
    this.status = ERRORS[code].status;
  }
  get details(): unknown {
    return this.extra.details;
  }
  get errors(): Record<string, string> | undefined {
    return this.extra.errors;
  }
  get isPublic(): boolean {
    return this.status < 500;
  }
  /** The message in a locale: an English override stays English only in `en`. */
  localized(locale: Locale): string {
    return locale === "en" ? this.message : errorMessage(this.code, this.params, locale);
  }
}

/** The one way to throw an API error. */
export const fail = (code: ErrorCode, params: ErrorParams = {}, extra: ErrorExtra = {}) =>
  new AppError(code, params, extra);

/** Validation failure naming each field or JSON pointer at fault. */
export function validationError(
  errors: Record<string, string>,
  code: "VALIDATION_FAILED" | "INVALID_BODY" | "INVALID_FACTS" = "VALIDATION_FAILED",
): AppError {
  const [field, problem] = Object.entries(errors)[0] ?? ["/", "is invalid"];
  const params = code === "VALIDATION_FAILED" ? { field, problem } : { pointer: field, problem };
  return fail(code, params, { details: { errors }, errors });
}
