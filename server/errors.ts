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
  INVALID_TEMPLATE: { status: 400, en: "{pointer}: {problem}", zh: "{pointer}：{problem}" },
  UNKNOWN_PLACEHOLDER: {
    status: 400,
    en: "{pointer}: unknown placeholder {placeholder}",
    zh: "{pointer}：占位符 {placeholder} 不存在",
  },
  UNKNOWN_FILTER: { status: 400, en: "{pointer}: unknown filter {filter}", zh: "{pointer}：过滤器 {filter} 不存在" },
  TEMPLATE_RENDER_FAILED: {
    status: 400,
    en: "{pointer} cannot be rendered: {problem}",
    zh: "{pointer} 无法渲染：{problem}",
  },
  CHANNEL_NOT_IN_TEMPLATE: {
    status: 400,
    en: "channel {channel} is not one of the template's channels ({channels})",
    zh: "渠道 {channel} 不在模板的渠道（{channels}）中",
  },
  INVALID_CSV: { status: 400, en: "The CSV file has errors: {problem}", zh: "CSV 文件有误：{problem}" },
  INVALID_PAYMENT_FILE: {
    status: 400,
    en: "The payment file has {count} error(s), nothing was read: {problem}",
    zh: "缴费文件有 {count} 处错误，未读取任何内容：{problem}",
  },
  INVALID_BATCH_FILE: {
    status: 400,
    en: "The batch file cannot be read, nothing was stored: {problem}",
    zh: "批量导入文件无法读取，未保存任何内容：{problem}",
  },
  BATCH_CELL_REQUIRED: { status: 400, en: "{column} is required here", zh: "此处必须填写 {column}" },
  BATCH_CELL_INVALID_KIND: {
    status: 400,
    en: '"{value}" is not a kind: hire, wage_change or leave (入职, 调薪, 离职)',
    zh: "“{value}”不是有效的类型：应为 入职、调薪 或 离职（hire、wage_change、leave）",
  },
  BATCH_CELL_INVALID_DATE: {
    status: 400,
    en: '"{value}" is not a date written as YYYY-MM-DD',
    zh: "“{value}”不是 YYYY-MM-DD 格式的日期",
  },
  BATCH_CELL_INVALID_WAGE: {
    status: 400,
    en: '"{value}" is not an amount (0 or more, at most 2 decimals)',
    zh: "“{value}”不是有效金额（不小于 0，最多两位小数）",
  },
  BATCH_CELL_INVALID_CITY: {
    status: 400,
    en: '"{value}" is not a city code (6 digits, e.g. 110000)',
    zh: "“{value}”不是城市代码（6 位数字，如 110000）",
  },
  BATCH_CELL_INVALID_TYPE: {
    status: 400,
    en: '"{value}" is not an employment type: full_time, seasonal, temporary or remote',
    zh: "“{value}”不是用工类型：应为 全职、季节工、临时工 或 异地远程",
  },
  BATCH_CELL_INVALID_BOOLEAN: { status: 400, en: '"{value}" is not yes or no', zh: "“{value}”不是 是 或 否" },
  BATCH_CELL_TOO_LONG: {
    status: 400,
    en: "{column} is longer than {max} characters",
    zh: "{column} 超过 {max} 个字符",
  },
  BATCH_CELL_UNSTORABLE: {
    status: 400,
    en: "{column} contains a character that cannot be stored (a NUL byte or an unpaired surrogate)",
    zh: "{column} 含有无法保存的字符（NUL 或不成对的代理字符）",
  },
  BATCH_CELL_UNKNOWN_EMPLOYEE: {
    status: 400,
    en: "No employee {employeeNo} (nor a hire of it earlier in the file)",
    zh: "没有员工 {employeeNo}（文件中此前也没有其入职行）",
  },
  BATCH_CELL_DUPLICATE_ROW: {
    status: 400,
    en: "The same {kind} of {employeeNo} on {date} is also on line {other}",
    zh: "{employeeNo} 在 {date} 的同一{kind}也出现在第 {other} 行",
  },
  BATCH_HAS_ERRORS: {
    status: 409,
    en: "All or nothing: {count} row(s) have errors or would fail, so nothing was applied",
    zh: "全部或不导入：有 {count} 行有错误或会失败，未导入任何内容",
  },
  BATCH_NOT_PREVIEWED: {
    status: 409,
    en: "This batch is {status}: only a previewed batch can be applied",
    zh: "该批次状态为 {status}：只有已预览的批次可以导入",
  },
  BATCH_APPLY_FAILED: {
    status: 500,
    en: "Applying the batch stopped at line {line} (all or nothing: no row was applied)",
    zh: "导入在第 {line} 行中止（全部或不导入时未导入任何行）",
  },
  PAID_ON_IN_FUTURE: {
    status: 400,
    en: "{field} {paidOn} is in the future: record a payment once it is made",
    zh: "{field} {paidOn} 是将来的日期：请在实际缴纳后再登记",
  },
  INVALID_KEY: { status: 400, en: "{field} is not a valid key: {problem}", zh: "{field} 不是有效的标识：{problem}" },
  INVALID_REFERENCE: {
    status: 400,
    en: "{field} does not name a record of this tenant",
    zh: "{field} 引用的记录不存在或不属于本租户",
  },
  REASON_REQUIRED: {
    status: 400,
    en: "{field}: a reason is required for this change",
    zh: "{field}：修改必须填写原因",
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
  NOT_A_REGION: {
    status: 400,
    en: "Org unit {id} is a {type}, not a region",
    zh: "组织单元 {id} 的类型是 {type}，不是区域",
  },
  ALERT_NOT_FOUND: { status: 404, en: "No alert {id} in this tenant", zh: "本租户中没有预警 {id}" },
  INVALID_ASSIGNEE: {
    status: 400,
    en: "{field} must name an HR user of this tenant",
    zh: "{field} 必须是本租户的人事用户",
  },
  INVALID_SNOOZE: {
    status: 400,
    en: "{field} must be a date after today ({today})",
    zh: "{field} 必须是今天（{today}）之后的日期",
  },
  ALERT_ACTION_REQUIRES: {
    status: 400,
    en: 'The action "{action}" needs {field}',
    zh: "操作“{action}”需要提供 {field}",
  },
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
  PACK_ALREADY_ADOPTED: {
    status: 409,
    en: "This tenant already adopted pack {pack} (version {version}); upgrade it instead",
    zh: "本租户已采用行业包 {pack}（版本 {version}），请改用升级",
  },
  PACK_NOT_ADOPTED: {
    status: 409,
    en: "This tenant has not adopted pack {pack}; adopt it first",
    zh: "本租户尚未采用行业包 {pack}，请先采用",
  },
  PACK_UNKNOWN_ASSET: {
    status: 400,
    en: "{pointer}: pack {pack} has no asset {asset}",
    zh: "{pointer}：行业包 {pack} 中没有资产 {asset}",
  },
  PACK_ASSET_INVALID: {
    status: 409,
    en: "Pack {pack} {version} cannot be applied: {asset} is refused at {pointer}: {problem}",
    zh: "行业包 {pack} {version} 无法应用：{asset} 在 {pointer} 处不符合要求：{problem}",
  },
  PACK_TESTS_FAILED: {
    status: 409,
    en: "Pack {pack} {version} cannot be applied: {failed} of {total} test case(s) fail ({names})",
    zh: "行业包 {pack} {version} 无法应用：{total} 个测试用例中有 {failed} 个未通过（{names}）",
  },
  DRAFT_UNCHANGED: {
    status: 409,
    en: "The draft of {key} is the same as version {version}: there is nothing new to publish",
    zh: "{key} 的草稿与第 {version} 版完全相同，没有可发布的新内容",
  },
  INVALID_BUNDLE: { status: 400, en: "Bundle {pointer}: {problem}", zh: "配置包 {pointer}：{problem}" },
  INVALID_BUNDLE_ASSET: {
    status: 400,
    en: "Bundle asset {asset} is invalid at {pointer}: {problem}; nothing was imported",
    zh: "配置包中的 {asset} 在 {pointer} 处无效：{problem}；未导入任何内容",
  },
  BUNDLE_TESTS_FAILED: {
    status: 409,
    en: "Test cases of {asset} fail: {names}; nothing was imported",
    zh: "{asset} 的测试用例未通过：{names}；未导入任何内容",
  },
  VERSION_IMMUTABLE: { status: 409, en: "A published version cannot be changed", zh: "已发布的版本不能修改" },
  STILL_REFERENCED: {
    status: 409,
    en: "{resource} {id} cannot be deleted: {by} still refer to it",
    zh: "{resourceZh} {id} 仍被{byZh}引用，无法删除",
  },
  BASE_DECLARATION_CONFIRMED: {
    status: 409,
    en: "The base declaration {city} {baseYear} is confirmed and can no longer be changed",
    zh: "{city} {baseYear} 年度的基数申报已确认，不能再修改",
  },
  BASE_DECLARATION_EXISTS: {
    status: 409,
    en: "There is already a base declaration for {city} {baseYear}",
    zh: "{city} {baseYear} 年度的基数申报已存在",
  },
  DUPLICATE: { status: 409, en: "A record with this {field} already exists", zh: "已存在相同 {field} 的记录" },
  ALREADY_PAID: {
    status: 409,
    en: "The contribution for {month} was already paid on {paidOn}",
    zh: "{month} 的社保费已于 {paidOn} 缴纳",
  },
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
  ADJUSTMENTS_FAILED: {
    status: 500,
    en:
      "The 差额补缴 adjustments for {table} version {version} stopped with an unexpected error; " +
      "nothing of the failed chunk was stored.",
    zh: "{table} 第 {version} 版的差额补缴计算因意外错误中止；出错批次的数据均未保存。",
  },
  NO_EARLIER_VERSION: {
    status: 409,
    en: 'Policy table "{table}" has no version before {version} to compare with; name oldVersion',
    zh: "政策表“{table}”在第 {version} 版之前没有可比较的版本；请指定 oldVersion",
  },
  MONTH_RANGE: {
    status: 400,
    en: "{field} {through} is before {from}: the months run from fromMonth through throughMonth",
    zh: "{field} {through} 早于 {from}：月份区间为 fromMonth 至 throughMonth",
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
  INVALID_REPORT: {
    status: 400,
    en: "The report is invalid at {pointer}: {problem}",
    zh: "报表配置有误（{pointer}）：{problemZh}",
  },
  INVALID_REPORT_PARAMS: {
    status: 400,
    en: "Report parameter {pointer} {problem}",
    zh: "报表参数 {pointer} {problemZh}",
  },
  // Notifications (outbox, channels, inbox).
  NOTIFICATION_NOT_CANCELLABLE: {
    status: 409,
    en: "Notification {id} is {status}: only queued or failed notifications can be cancelled",
    zh: "通知 {id} 状态为 {status}：只有待发送或发送失败的通知可以取消",
  },
  NOTIFICATION_NOT_RETRYABLE: {
    status: 409,
    en: "Notification {id} is {status}: only failed, dead or cancelled notifications can be sent again",
    zh: "通知 {id} 状态为 {status}：只有发送失败、已终止或已取消的通知可以重发",
  },
  UNKNOWN_CHANNEL: { status: 404, en: 'There is no channel "{channel}"', zh: "没有通知渠道“{channel}”" },
  INVALID_CHANNEL_SETTINGS: {
    status: 400,
    en: "Channel {channel}: {pointer} {problem}",
    zh: "渠道 {channel} 的设置有误：{pointer} {problem}",
  },
  CHANNEL_NOT_CONFIGURED: {
    status: 409,
    en: "Channel {channel} is not configured for this tenant",
    zh: "本租户尚未配置通知渠道 {channel}",
  },
  INVALID_LINK: {
    status: 403,
    en: "This download link is not valid or has expired",
    zh: "下载链接无效或已过期",
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
  /** Params, details and field errors in another language (e.g. rules diagnostics); others stay as given. */
  localize?: (locale: Locale) => { params?: ErrorParams; details?: unknown; errors?: Record<string, string> };
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
    if (locale === "en") return this.message;
    return errorMessage(this.code, { ...this.params, ...this.extra.localize?.(locale).params }, locale);
  }

  /** The answer's params, details and field errors in a locale. */
  localizedExtra(locale: Locale): { params: ErrorParams; details?: unknown; errors?: Record<string, string> } {
    const loc = locale === "en" ? undefined : this.extra.localize?.(locale);
    return {
      params: { ...this.params, ...loc?.params },
      details: loc && "details" in loc ? loc.details : this.details,
      errors: loc?.errors ?? this.errors,
    };
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
