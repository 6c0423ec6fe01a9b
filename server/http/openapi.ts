/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with; the events
 * come from their declarations (server/commands/events). Every operation has a stable
 * `operationId`; every enum of codes carries its Vietnamese labels (`x-enum-descriptions`).
 */
import { z } from "zod";
import {
  SettingsSchema,
  AgencySchema,
  MemberAssociationSchema,
  UpdateUserSchema,
  CreateOrderSchema,
  ExpertSchema,
  InvitationEventSchema,
  ListAssignmentsQuery,
  LoginSchema,
  OpinionContentSchema,
  OpinionOnBehalfSchema,
  SaveReportSchema,
  StaffChangeSchema,
  TokenSchema,
  UserSchema,
} from "./schemas.js";
import { declarationOf, eventJsonSchema, PEOPLE_EVENT_TYPES } from "../commands/events/index.js";
import { hasLabel, label, translate } from "../words/catalogue.js";
import { moneyPaths, planPaths } from "./openapiPlans.js";
import { installationPaths, operatorPaths } from "./openapiOperations.js";
import { byId, error, errors, idParam, json, ok, op, type Json } from "./openapiParts.js";

const pathParam = (name: string, schema: Json = { type: "string" }) => ({ name, in: "path", required: true, schema });

/** The OpenAPI document served at /api/v1/openapi.json. */
export function buildOpenApi(serverUrl: string) {
  const doc = {
    openapi: "3.1.0",
    info: {
      title: "TVPB API",
      version: "1.0.0",
      description: "Tư vấn, phản biện và giám định xã hội — API. Errors: { error: { code, message, field? } }.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "tvpb_session" },
        operatorCookie: { type: "apiKey", in: "cookie", name: "tvpb_operator" },
      },
      responses: { Error: errorResponse() },
    },
    paths: {
      ...authPaths(),
      ...assignmentPaths(),
      ...dossierPaths(),
      ...workPaths(),
      ...documentPaths(),
      ...registryPaths(),
      ...planPaths(),
      ...moneyPaths(),
      ...installationPaths(),
      ...operatorPaths(),
    },
  };
  describeEnums(doc);
  return doc;
}

function errorResponse() {
  const message = { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } };
  const body = { error: { type: "object", properties: message, required: ["code", "message"] } };
  return { description: "Error", content: { "application/json": { schema: { type: "object", properties: body } } } };
}

function authPaths() {
  return {
    "/auth/login": {
      post: op(
        "login",
        "Đăng nhập (cookie session)",
        { 200: ok("Signed in; returns the CSRF token"), 429: error },
        {
          security: [],
          requestBody: json(LoginSchema),
        },
      ),
    },
    "/auth/logout": {
      post: { operationId: "logout", summary: "Đăng xuất", responses: { 204: { description: "Signed out" } } },
    },
    "/auth/logout-everywhere": {
      post: {
        operationId: "logoutEverywhere",
        summary: "Đăng xuất mọi nơi",
        responses: { 204: { description: "All sessions revoked" } },
      },
    },
    "/me": { get: op("getMe", "Người dùng hiện tại", { 200: ok("The actor") }) },
    "/tokens": {
      get: op("listTokens", "Mã truy cập API của tôi", { 200: ok("Tokens") }),
      post: op(
        "createToken",
        "Tạo mã truy cập API (hiển thị một lần)",
        { 201: ok("The token") },
        {
          requestBody: json(TokenSchema),
        },
      ),
    },
    "/tokens/{id}": {
      delete: op("revokeToken", "Thu hồi mã truy cập", { 204: { description: "Revoked" } }, { parameters: [idParam] }),
    },
  };
}

function assignmentPaths() {
  const query = z.toJSONSchema(ListAssignmentsQuery, { io: "input" }) as { properties: Record<string, object> };
  const parameters = Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", schema }));
  const listed =
    "A page of assignments. meta.total counts the matches up to 1,000 past this page; meta.totalCapped is true " +
    "when there are more. sort (updated, due, received, title, step) and dir order it; the next and previous " +
    "pages are after=meta.nextCursor and before=meta.prevCursor (page by number: at most 2,000 rows deep)";
  const detail = "Chi tiết nhiệm vụ (trạng thái, thao tác được phép, tiến trình, hạn, hội đồng, ý kiến, văn bản)";
  const create = { requestBody: json(CreateOrderSchema) };
  return {
    "/assignments": {
      get: op("listAssignments", "Danh sách nhiệm vụ", { 200: ok(listed) }, { parameters }),
      post: op("createAssignment", "Tạo đơn đặt hàng / đề xuất", { 201: ok("The new assignment") }, create),
    },
    "/assignments/{id}": { get: op("getAssignment", detail, { 200: ok("The assignment") }, byId) },
    "/assignments/{id}/events": { post: sendEventOperation() },
    "/assignments/{id}/staff": {
      post: op(
        "assignStaff",
        "Lãnh đạo phân công (thêm, bớt) cán bộ làm nhiệm vụ",
        { 200: ok("The staff's user ids") },
        { ...byId, requestBody: json(StaffChangeSchema) },
      ),
    },
    "/assignments/{id}/history": {
      get: op("listAssignmentHistory", "Lịch sử sự kiện", { 200: ok("History rows") }, byId),
    },
  };
}

function dossierPaths() {
  const upload = { parameters: [idParam], requestBody: multipartFile() };
  const file = { parameters: [idParam, pathParam("fileId")] };
  const draft = { parameters: [idParam, pathParam("kind", { type: "string", enum: DRAFT_KINDS })] };
  const mailLog = { 200: ok("Mail messages with status, attempts, error") };
  return {
    "/assignments/{id}/files": {
      post: op("uploadDossierFile", "Tải lên hồ sơ (multipart: file, kind)", uploaded(), upload),
    },
    "/assignments/{id}/files/{fileId}": {
      get: op("downloadDossierFile", "Tải xuống hồ sơ", { 200: { description: "The file bytes" } }, file),
    },
    "/assignments/{id}/mail": {
      get: op("listAssignmentMail", "Nhật ký gửi thư của nhiệm vụ (Ban TVPB)", mailLog, byId),
    },
    "/assignments/{id}/mail/{entryId}/retry": {
      post: op(
        "retryAssignmentMail",
        "Gửi lại thư bị lỗi sau khi đã sửa dữ liệu (cán bộ LHH; mã thư trong nhật ký, hoặc effect-<số>)",
        { 202: ok("The mail effect, pending again") },
        { parameters: [idParam, pathParam("entryId")] },
      ),
    },
    "/assignments/{id}/report.docx": {
      get: op(
        "downloadReportDocx",
        "Dự thảo báo cáo dạng Word (.docx)",
        { 200: { description: "The .docx file" } },
        byId,
      ),
    },
    "/assignments/{id}/drafts/{kind}": {
      get: op(
        "previewDraftDocument",
        "Xem dự thảo (DỰ THẢO, chưa có số) một văn bản của nhiệm vụ",
        { 200: { description: "The draft PDF" } },
        draft,
      ),
    },
  };
}

const uploaded = () => ({ 201: ok("Stored file"), 413: error, 415: error });
const multipartFile = () => ({
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        properties: { file: { type: "string", format: "binary" }, kind: { type: "string" } },
        required: ["file"],
      },
    },
  },
});

/** POST /assignments/{id}/events: one body schema per declared event, described by its declaration. */
function sendEventOperation() {
  const prefer = {
    name: "Prefer",
    in: "header",
    required: false,
    schema: { type: "string", enum: ["return=minimal", "return=representation"] },
    description:
      "return=minimal (default): id, code, state, stateLabel, waitingOn, version, updatedAt and `can` " +
      "(the events this actor may send next). return=representation: the whole assignment as GET " +
      "/assignments/{id} answers it.",
  };
  const answer =
    "The assignment's new state and version and the next events (or the whole assignment with Prefer: " +
    "return=representation); header Preference-Applied says which";
  const oneOf = PEOPLE_EVENT_TYPES.map((type) => {
    // A copy: the cached schema also answers the `can` list, and describeEnums writes into this one.
    const { $schema: _s, ...schema } = structuredClone(eventJsonSchema(type)) as Json;
    return { ...schema, title: type, description: describeEvent(type) };
  });
  return op(
    "sendAssignmentEvent",
    "Gửi sự kiện (chuyển bước)",
    { 200: ok(answer) },
    {
      parameters: [idParam, prefer],
      requestBody: { content: { "application/json": { schema: { oneOf } } } },
    },
  );
}

/** "Vào sổ công văn đến. Vai trò: Văn thư, Ban Tư vấn phản biện. Điều kiện: …" from the declaration. */
function describeEvent(type: string): string {
  const d = declarationOf(type)!;
  const roles = d.roles.map((r) => label("role", r, "vi")).join(", ");
  const rules = Object.values(d.rules ?? {}).map((key) => translate("vi", key));
  return [
    `${label("event", type, "vi")}.`,
    `Vai trò: ${roles}.`,
    ...(rules.length ? [`Điều kiện: ${rules.join(" ")}`] : []),
  ].join(" ");
}

function workPaths() {
  const onBehalf = { parameters: [idParam, pathParam("expertId")], requestBody: json(OpinionOnBehalfSchema) };
  const answer = { parameters: [idParam], requestBody: json(InvitationEventSchema) };
  return {
    "/assignments/{id}/opinion": {
      put: op(
        "saveOpinionDraft",
        "Lưu nháp ý kiến (chuyên gia)",
        { 200: ok("The draft") },
        {
          parameters: [idParam],
          requestBody: json(OpinionContentSchema),
        },
      ),
    },
    "/assignments/{id}/opinion/submit": {
      post: op("submitOpinion", "Gửi ý kiến (chuyên gia)", { 200: ok("The submitted version") }, byId),
    },
    "/assignments/{id}/opinions/{expertId}/versions": {
      post: op(
        "editOpinionOnBehalf",
        "Chỉnh sửa ý kiến thay chuyên gia (phiên bản mới, có lý do)",
        { 201: ok("The new version") },
        onBehalf,
      ),
    },
    "/assignments/{id}/report": {
      get: op("listReportVersions", "Các phiên bản dự thảo báo cáo", { 200: ok("Report versions") }, byId),
      post: op(
        "saveReportDraft",
        "Lưu phiên bản dự thảo báo cáo tổng hợp",
        { 201: ok("The new version") },
        {
          parameters: [idParam],
          requestBody: json(SaveReportSchema),
        },
      ),
    },
    "/invitations": { get: op("listMyInvitations", "Thư mời của tôi (chuyên gia)", { 200: ok("Invitations") }) },
    "/invitations/{id}/events": {
      post: op("sendInvitationEvent", "Nhận lời (kèm cam kết) hoặc từ chối", { 200: ok("The invitation") }, answer),
    },
  };
}

const DRAFT_KINDS = [
  "requestDocuments",
  "declineLetter",
  "acceptanceLetter",
  "panelDecision",
  "meetingInvitation",
  "minutes",
  "finalReport",
  "coverLetter",
  "responseReminder",
];

function documentPaths() {
  const reason = { type: "object", properties: { reason: { type: "string", minLength: 3 } }, required: ["reason"] };
  const period = {
    type: "object",
    properties: { year: { type: "integer" }, quarter: { type: "integer", minimum: 1, maximum: 4 } },
    required: ["year"],
  };
  const body = (schema: Json) => ({ content: { "application/json": { schema } } });
  const pdf = { 200: { description: "PDF (X-Content-SHA256 for issued documents)" } };
  return {
    "/documents": {
      get: op("listDocuments", "Sổ văn bản đi (văn bản đã ban hành)", { 200: ok("Issued documents") }),
    },
    "/documents/{id}/pdf": {
      get: op("downloadDocumentPdf", "Tải văn bản: bản đã ban hành đúng từng byte, hoặc bản dự thảo", pdf, byId),
    },
    "/documents/{id}/corrections": {
      post: op(
        "correctDocument",
        "Ban hành văn bản đính chính (số mới, tham chiếu văn bản gốc)",
        { 201: ok("The correction") },
        { parameters: [idParam], requestBody: body(reason) },
      ),
    },
    "/activity-reports": {
      post: op(
        "issueActivityReport",
        "Ban hành báo cáo định kỳ (quý hoặc năm)",
        { 201: ok("The report, rendered shortly") },
        { requestBody: body(period) },
      ),
    },
  };
}

function registryPaths() {
  const settings =
    "Cấu hình của Liên hiệp hội (tên, người ký, thời hạn, mức tối thiểu, chính sách nhắc hạn, ngày nghỉ năm nay)";
  const create = (id: string, summary: string, schema: z.ZodType, what: string) =>
    op(id, summary, { 201: ok(what) }, { requestBody: json(schema) });
  const update = (id: string, summary: string, schema: z.ZodType, what: string) =>
    op(id, summary, { 200: ok(what) }, { parameters: [idParam], requestBody: json(schema) });
  return {
    "/experts": {
      get: op(
        "listExperts",
        "Danh sách chuyên gia (tìm không dấu)",
        { 200: ok("Experts with load and decline rate") },
        {
          parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
        },
      ),
      post: create("createExpert", "Thêm chuyên gia", ExpertSchema, "The expert"),
    },
    "/experts/{id}": { patch: update("updateExpert", "Sửa chuyên gia", ExpertSchema.partial(), "The expert") },
    "/users": {
      get: op("listUsers", "Người dùng (quản trị)", { 200: ok("Users") }),
      post: create("createUser", "Tạo người dùng (quản trị)", UserSchema, "The user"),
    },
    "/users/{id}": {
      patch: update("updateUser", "Sửa người dùng: vai trò, khóa/mở (quản trị)", UpdateUserSchema, "The user"),
    },
    "/settings": {
      get: op("getSettings", settings, { 200: ok("Settings") }),
      put: op(
        "updateSettings",
        "Sửa cấu hình và ngày nghỉ của một năm (quản trị)",
        { 200: ok("Settings") },
        {
          requestBody: json(SettingsSchema),
        },
      ),
    },
    "/agencies": {
      get: op("listAgencies", "Cơ quan đặt hàng", { 200: ok("Agencies") }),
      post: create("createAgency", "Thêm cơ quan đặt hàng", AgencySchema, "The agency"),
    },
    "/member-associations": {
      get: op("listMemberAssociations", "Hội thành viên", { 200: ok("Member associations") }),
      post: create(
        "createMemberAssociation",
        "Thêm hội thành viên (quản trị)",
        MemberAssociationSchema,
        "The association",
      ),
    },
  };
}

/** Label groups of the catalogue tried, in order, for an enum's codes; the first that has every code wins. */
const ENUM_LABEL_GROUPS = [
  "type",
  "form",
  "subjectKind",
  "urgency",
  "origin",
  "panelRole",
  "role",
  "response",
  "conclusion",
  "reportConclusion",
  "enum.channel",
  "fileKind",
  "doc",
  "language",
  "rateItem",
  "rateRole",
  "payeeKind",
  "list.sortBy",
  "list.sortDir",
];

/**
 * Adds the Vietnamese label of each code to every enum of codes in the document, as
 * `x-enum-descriptions` (in the order of `enum`) and in the description. Enums without a label
 * group (a header's values, "true"/"false") are left as they are.
 */
export function describeEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(describeEnums);
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  const codes = schema.enum as unknown[] | undefined;
  if (Array.isArray(codes) && codes.every((c) => typeof c === "string")) {
    const group = ENUM_LABEL_GROUPS.find((g) => (codes as string[]).every((c) => hasLabel(g, c)));
    if (group) {
      const labels = (codes as string[]).map((c) => label(group, c, "vi"));
      schema["x-enum-descriptions"] = labels;
      const list = (codes as string[]).map((c, i) => `${c === "" ? "(trống)" : c}: ${labels[i]}`).join("; ");
      schema.description = [schema.description, list].filter(Boolean).join(" — ");
    }
  }
  Object.values(schema).forEach(describeEnums);
}
