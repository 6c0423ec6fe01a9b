/**
 * The OpenAPI paths of running an installation (issue 11): the operator's Unions and national view
 * (/operator/*, its own cookie), the clock, the signing key, documents signed elsewhere and the
 * organisation's export. Merged into the document by openapi.ts.
 */
import { AdminSchema, LoginSchema, RenameSchema, UnionSchema } from "./operatorSchemas.js";
import { ClockAdvanceSchema } from "./schemas.js";
import { byId, error, errors, json, ok, op, type Json } from "./openapiParts.js";

/** The operator's calls carry the operator's cookie, never a Union's session or token. */
const asOperator = { security: [{ operatorCookie: [] }] };
const multipart = (properties: Json) => ({
  content: { "multipart/form-data": { schema: { type: "object", properties, required: ["file"] } } },
});
const file = { type: "string", format: "binary" };

/** /operator/*: sign-in, the Unions and the national view. */
export function operatorPaths() {
  const union = (summary: string, id: string) => op(id, summary, { 200: ok("The Union") }, { ...asOperator, ...byId });
  return {
    "/operator/auth/login": {
      post: op(
        "operatorLogin",
        "Người vận hành hệ thống đăng nhập (cookie riêng, không thuộc Liên hiệp hội nào)",
        { 200: ok("Signed in; returns the CSRF token"), 429: error },
        { security: [], requestBody: json(LoginSchema) },
      ),
    },
    "/operator/auth/logout": {
      post: op("operatorLogout", "Người vận hành đăng xuất", { 204: { description: "Signed out" } }, asOperator),
    },
    "/operator/unions": {
      get: op("listUnions", "Các Liên hiệp hội của hệ thống và trạng thái", { 200: ok("The Unions") }, asOperator),
      post: op(
        "createUnion",
        "Tạo Liên hiệp hội cùng quản trị viên đầu tiên",
        { 201: ok("The Union and its administrator") },
        { ...asOperator, requestBody: json(UnionSchema) },
      ),
    },
    "/operator/unions/{id}": {
      patch: op(
        "renameUnion",
        "Đổi tên Liên hiệp hội",
        { 200: ok("The Union") },
        { ...asOperator, ...byId, requestBody: json(RenameSchema) },
      ),
    },
    "/operator/unions/{id}/suspend": {
      post: union("Tạm dừng Liên hiệp hội (đăng nhập và mã API ngừng)", "suspendUnion"),
    },
    "/operator/unions/{id}/reactivate": { post: union("Cho Liên hiệp hội hoạt động lại", "reactivateUnion") },
    "/operator/unions/{id}/admins": {
      post: op(
        "createUnionAdmin",
        "Thêm quản trị viên cho Liên hiệp hội",
        { 201: ok("The administrator") },
        { ...asOperator, ...byId, requestBody: json(AdminSchema.strict()) },
      ),
    },
    "/operator/national": {
      get: op(
        "getNationalView",
        "Số liệu toàn quốc theo từng Liên hiệp hội và tổng (chỉ số tổng hợp, không dữ liệu cá nhân)",
        { 200: ok("Per Union and total aggregates") },
        asOperator,
      ),
    },
  };
}

/** /clock, /signing-key, /documents/{id}/signed and /export. */
export function installationPaths() {
  const keys = "The active certificate's public facts, the expiry warning and the history (never the key)";
  return {
    "/clock": { get: op("getClock", "Đồng hồ của hệ thống (và độ lệch khi đã dời)", { 200: ok("The clock") }) },
    "/clock/advance": {
      post: op(
        "advanceClock",
        "Dời đồng hồ tới trước (quản trị viên; không dùng khi chạy thật)",
        { 200: ok("The clock") },
        { requestBody: json(ClockAdvanceSchema) },
      ),
    },
    "/signing-key": {
      get: op("getSigningKey", "Chứng thư ký số của Liên hiệp hội (quản trị viên)", { 200: ok(keys) }),
      put: op(
        "installSigningKey",
        "Tải lên tệp .p12/.pfx (multipart: file, passphrase, signerName); khóa trước bị thay",
        { 201: ok(keys), 413: error, 415: error },
        { requestBody: multipart({ file, passphrase: { type: "string" }, signerName: { type: "string" } }) },
      ),
      delete: op("removeSigningKey", "Gỡ khóa ký số (lịch sử vẫn giữ)", { 204: { description: "Removed" } }),
    },
    "/documents/{id}/signed": {
      post: op(
        "attachExternalSignature",
        "Tải lên văn bản đã ký số ở nơi khác (bản đã ban hành cộng chữ ký, cập nhật nối tiếp)",
        { 201: ok("The document, now signed"), 413: error, 415: error },
        { ...byId, requestBody: multipart({ file }) },
      ),
    },
    "/export": {
      get: op("exportOrganization", "Xuất toàn bộ dữ liệu của Liên hiệp hội (ZIP: JSON và tệp)", {
        200: { description: "A ZIP archive", content: { "application/zip": { schema: file } } },
      }),
    },
  };
}
