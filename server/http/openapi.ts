/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate with. */
import { z } from "zod";
import {
  SettingsSchema,
  AgencySchema,
  MemberAssociationSchema,
  UpdateUserSchema,
  CreateOrderSchema,
  EventSchema,
  ExpertSchema,
  InvitationEventSchema,
  ListAssignmentsQuery,
  LoginSchema,
  OpinionContentSchema,
  OpinionOnBehalfSchema,
  SaveReportSchema,
  TokenSchema,
  UserSchema,
} from "./schemas.js";

const json = (schema: z.ZodType) => ({
  content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }) } },
});
const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object", properties: { data: {} } } } },
});
const errors = {
  400: { $ref: "#/components/responses/Error" },
  401: { $ref: "#/components/responses/Error" },
  403: { $ref: "#/components/responses/Error" },
  404: { $ref: "#/components/responses/Error" },
  409: { $ref: "#/components/responses/Error" },
};

export function buildOpenApi(serverUrl: string) {
  const query = z.toJSONSchema(ListAssignmentsQuery, { io: "input" }) as { properties: Record<string, object> };
  return {
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
      },
      responses: {
        Error: {
          description: "Error",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  error: {
                    type: "object",
                    properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } },
                    required: ["code", "message"],
                  },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      "/auth/login": {
        post: {
          summary: "Đăng nhập (cookie session)",
          security: [],
          requestBody: json(LoginSchema),
          responses: {
            200: ok("Signed in; returns the CSRF token"),
            ...errors,
            429: { $ref: "#/components/responses/Error" },
          },
        },
      },
      "/auth/logout": { post: { summary: "Đăng xuất", responses: { 204: { description: "Signed out" } } } },
      "/auth/logout-everywhere": {
        post: { summary: "Đăng xuất mọi nơi", responses: { 204: { description: "All sessions revoked" } } },
      },
      "/me": { get: { summary: "Người dùng hiện tại", responses: { 200: ok("The actor"), ...errors } } },
      "/assignments": {
        get: {
          summary: "Danh sách nhiệm vụ",
          parameters: Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", schema })),
          responses: {
            200: ok(
              "A page of assignments. meta.total counts the matches up to 1,000 past this page; " +
                "meta.totalCapped is true when there are more",
            ),
            ...errors,
          },
        },
        post: {
          summary: "Tạo đơn đặt hàng / đề xuất",
          requestBody: json(CreateOrderSchema),
          responses: { 201: ok("The new assignment"), ...errors },
        },
      },
      "/assignments/{id}": {
        get: {
          summary: "Chi tiết nhiệm vụ (trạng thái, thao tác được phép, tiến trình, hạn, hội đồng, ý kiến, văn bản)",
          parameters: [idParam],
          responses: { 200: ok("The assignment"), ...errors },
        },
      },
      "/assignments/{id}/events": {
        post: {
          summary: "Gửi sự kiện (chuyển bước)",
          parameters: [
            idParam,
            {
              name: "Prefer",
              in: "header",
              required: false,
              schema: { type: "string", enum: ["return=minimal", "return=representation"] },
              description:
                "return=minimal (default): id, code, state, stateLabel, waitingOn, version, updatedAt and `can` " +
                "(the events this actor may send next). return=representation: the whole assignment as GET " +
                "/assignments/{id} answers it.",
            },
          ],
          requestBody: json(EventSchema),
          responses: {
            200: ok(
              "The assignment's new state and version and the next events (or the whole assignment with Prefer: " +
                "return=representation); header Preference-Applied says which",
            ),
            ...errors,
          },
        },
      },
      "/assignments/{id}/history": {
        get: { summary: "Lịch sử sự kiện", parameters: [idParam], responses: { 200: ok("History rows"), ...errors } },
      },
      "/assignments/{id}/files": {
        post: {
          summary: "Tải lên hồ sơ (multipart: file, kind)",
          parameters: [idParam],
          requestBody: {
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: { file: { type: "string", format: "binary" }, kind: { type: "string" } },
                  required: ["file"],
                },
              },
            },
          },
          responses: {
            201: ok("Stored file"),
            ...errors,
            413: { $ref: "#/components/responses/Error" },
            415: { $ref: "#/components/responses/Error" },
          },
        },
      },
      "/assignments/{id}/files/{fileId}": {
        get: {
          summary: "Tải xuống hồ sơ",
          parameters: [idParam, { name: "fileId", in: "path", required: true, schema: { type: "string" } }],
          responses: { 200: { description: "The file bytes" }, ...errors },
        },
      },
      "/assignments/{id}/opinion": {
        put: {
          summary: "Lưu nháp ý kiến (chuyên gia)",
          parameters: [idParam],
          requestBody: json(OpinionContentSchema),
          responses: { 200: ok("The draft"), ...errors },
        },
      },
      "/assignments/{id}/opinion/submit": {
        post: {
          summary: "Gửi ý kiến (chuyên gia)",
          parameters: [idParam],
          responses: { 200: ok("The submitted version"), ...errors },
        },
      },
      "/assignments/{id}/opinions/{expertId}/versions": {
        post: {
          summary: "Chỉnh sửa ý kiến thay chuyên gia (phiên bản mới, có lý do)",
          parameters: [idParam, { name: "expertId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: json(OpinionOnBehalfSchema),
          responses: { 201: ok("The new version"), ...errors },
        },
      },
      "/assignments/{id}/report": {
        get: {
          summary: "Các phiên bản dự thảo báo cáo",
          parameters: [idParam],
          responses: { 200: ok("Report versions"), ...errors },
        },
        post: {
          summary: "Lưu phiên bản dự thảo báo cáo tổng hợp",
          parameters: [idParam],
          requestBody: json(SaveReportSchema),
          responses: { 201: ok("The new version"), ...errors },
        },
      },
      "/assignments/{id}/mail": {
        get: {
          summary: "Nhật ký gửi thư của nhiệm vụ (Ban TVPB)",
          parameters: [idParam],
          responses: { 200: ok("Mail messages with status, attempts, error"), ...errors },
        },
      },
      "/assignments/{id}/report.docx": {
        get: {
          summary: "Dự thảo báo cáo dạng Word (.docx)",
          parameters: [idParam],
          responses: { 200: { description: "The .docx file" }, ...errors },
        },
      },
      "/assignments/{id}/drafts/{kind}": {
        get: {
          summary: "Xem dự thảo (DỰ THẢO, chưa có số) một văn bản của nhiệm vụ",
          parameters: [
            idParam,
            {
              name: "kind",
              in: "path",
              required: true,
              schema: {
                type: "string",
                enum: [
                  "requestDocuments",
                  "declineLetter",
                  "acceptanceLetter",
                  "panelDecision",
                  "meetingInvitation",
                  "minutes",
                  "finalReport",
                  "coverLetter",
                  "responseReminder",
                ],
              },
            },
          ],
          responses: { 200: { description: "The draft PDF" }, ...errors },
        },
      },
      "/documents": {
        get: { summary: "Sổ văn bản đi (văn bản đã ban hành)", responses: { 200: ok("Issued documents"), ...errors } },
      },
      "/documents/{id}/pdf": {
        get: {
          summary: "Tải văn bản: bản đã ban hành đúng từng byte, hoặc bản dự thảo",
          parameters: [idParam],
          responses: { 200: { description: "PDF (X-Content-SHA256 for issued documents)" }, ...errors },
        },
      },
      "/documents/{id}/corrections": {
        post: {
          summary: "Ban hành văn bản đính chính (số mới, tham chiếu văn bản gốc)",
          parameters: [idParam],
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { reason: { type: "string", minLength: 3 } },
                  required: ["reason"],
                },
              },
            },
          },
          responses: { 201: ok("The correction"), ...errors },
        },
      },
      "/activity-reports": {
        post: {
          summary: "Ban hành báo cáo định kỳ (quý hoặc năm)",
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { year: { type: "integer" }, quarter: { type: "integer", minimum: 1, maximum: 4 } },
                  required: ["year"],
                },
              },
            },
          },
          responses: { 201: ok("The report, rendered shortly"), ...errors },
        },
      },
      "/invitations": {
        get: { summary: "Thư mời của tôi (chuyên gia)", responses: { 200: ok("Invitations"), ...errors } },
      },
      "/invitations/{id}/events": {
        post: {
          summary: "Nhận lời (kèm cam kết) hoặc từ chối",
          parameters: [idParam],
          requestBody: json(InvitationEventSchema),
          responses: { 200: ok("The invitation"), ...errors },
        },
      },
      "/experts": {
        get: {
          summary: "Danh sách chuyên gia (tìm không dấu)",
          parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
          responses: { 200: ok("Experts with load and decline rate"), ...errors },
        },
        post: {
          summary: "Thêm chuyên gia",
          requestBody: json(ExpertSchema),
          responses: { 201: ok("The expert"), ...errors },
        },
      },
      "/experts/{id}": {
        patch: {
          summary: "Sửa chuyên gia",
          parameters: [idParam],
          requestBody: json(ExpertSchema.partial()),
          responses: { 200: ok("The expert"), ...errors },
        },
      },
      "/users": {
        get: { summary: "Người dùng (quản trị)", responses: { 200: ok("Users"), ...errors } },
        post: {
          summary: "Tạo người dùng (quản trị)",
          requestBody: json(UserSchema),
          responses: { 201: ok("The user"), ...errors },
        },
      },
      "/users/{id}": {
        patch: {
          summary: "Sửa người dùng: vai trò, khóa/mở (quản trị)",
          parameters: [idParam],
          requestBody: json(UpdateUserSchema),
          responses: { 200: ok("The user"), ...errors },
        },
      },
      "/settings": {
        get: {
          summary:
            "Cấu hình của Liên hiệp hội (tên, người ký, thời hạn, mức tối thiểu, chính sách nhắc hạn, ngày nghỉ " +
            "năm nay)",
          responses: { 200: ok("Settings"), ...errors },
        },
        put: {
          summary: "Sửa cấu hình và ngày nghỉ của một năm (quản trị)",
          requestBody: json(SettingsSchema),
          responses: { 200: ok("Settings"), ...errors },
        },
      },
      "/agencies": {
        get: { summary: "Cơ quan đặt hàng", responses: { 200: ok("Agencies"), ...errors } },
        post: {
          summary: "Thêm cơ quan đặt hàng",
          requestBody: json(AgencySchema),
          responses: { 201: ok("The agency"), ...errors },
        },
      },
      "/member-associations": {
        get: { summary: "Hội thành viên", responses: { 200: ok("Member associations"), ...errors } },
        post: {
          summary: "Thêm hội thành viên (quản trị)",
          requestBody: json(MemberAssociationSchema),
          responses: { 201: ok("The association"), ...errors },
        },
      },
      "/tokens": {
        get: { summary: "Mã truy cập API của tôi", responses: { 200: ok("Tokens"), ...errors } },
        post: {
          summary: "Tạo mã truy cập API (hiển thị một lần)",
          requestBody: json(TokenSchema),
          responses: { 201: ok("The token"), ...errors },
        },
      },
      "/tokens/{id}": {
        delete: {
          summary: "Thu hồi mã truy cập",
          parameters: [idParam],
          responses: { 204: { description: "Revoked" }, ...errors },
        },
      },
    },
  };
}

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
