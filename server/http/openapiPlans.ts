/**
 * The OpenAPI paths of the year's plan and its money (issue 16): /annual-plans…, rates, estimates,
 * payments, settlements, statements and their .xlsx exports. Merged into the document by openapi.ts.
 */
import {
  CreatePlanSchema,
  DecisionFormSchema,
  PlanEventBodySchema,
  ProposalSchema,
  StartItemSchema,
} from "../commands/events/annualPlan.js";
import { EstimateSchema, PaymentSchema, RateSchema, ReversalSchema } from "../commands/moneySchemas.js";
import { error, errors, json, ok, op, schemaOf, type Json } from "./openapiParts.js";

const xlsx = {
  description: "An .xlsx workbook",
  content: {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
      schema: { type: "string", format: "binary" },
    },
  },
};
const path = (name: string, format?: string) => ({
  name,
  in: "path",
  required: true,
  schema: format ? { type: "string", format } : { type: "string" },
});
const byId = { parameters: [path("id", "uuid")] };
const query = (name: string, schema: Json, required = false) => ({ name, in: "query", required, schema });
const year = query("year", { type: "integer" }, true);

/** /annual-plans and its sub-resources. */
export function planPaths() {
  return { ...planLifePaths(), ...planWorkPaths() };
}

/** The plans: list, open, read, events. */
function planLifePaths() {
  return {
    "/annual-plans": {
      get: op("listAnnualPlans", "Danh sách danh mục nhiệm vụ hằng năm", { 200: ok("The plans") }),
      post: op(
        "createAnnualPlan",
        "Mở danh mục năm, nhận đề xuất",
        { 201: ok("The plan") },
        { requestBody: json(CreatePlanSchema) },
      ),
    },
    "/annual-plans/{id}": {
      get: op(
        "getAnnualPlan",
        "Danh mục, các nhiệm vụ (cơ quan, hội: của mình), tờ trình, quyết định",
        { 200: ok("The plan") },
        byId,
      ),
    },
    "/annual-plans/{id}/events": {
      post: op(
        "sendAnnualPlanEvent",
        "Gửi một sự kiện của danh mục",
        { 200: ok("The plan") },
        { ...byId, requestBody: json(PlanEventBodySchema) },
      ),
    },
  };
}

/** A plan's proposals, decision, items started from it, and its report. */
function planWorkPaths() {
  return {
    "/annual-plans/{id}/proposals": {
      post: op(
        "submitProposal",
        "Gửi đề xuất nhiệm vụ",
        { 201: ok("The new item's id and the plan") },
        { ...byId, requestBody: json(ProposalSchema) },
      ),
    },
    "/annual-plans/{id}/decisions": {
      post: op(
        "recordPlanDecision",
        "Ghi nhận quyết định phê duyệt của UBND tỉnh",
        { 201: ok("The plan"), 413: error, 415: error },
        { ...byId, requestBody: decisionForm() },
      ),
    },
    "/annual-plans/{id}/items/{itemId}/start": {
      post: op(
        "startPlanItem",
        "Mở nhiệm vụ từ danh mục",
        { 201: ok("The new assignment") },
        {
          parameters: [path("id", "uuid"), path("itemId", "uuid")],
          requestBody: json(StartItemSchema),
        },
      ),
    },
    "/annual-plans/{id}/report": {
      get: op(
        "getAnnualPlanReport",
        "Kết quả thực hiện danh mục và kinh phí",
        { 200: ok("Execution and money") },
        byId,
      ),
    },
  };
}

/** The province's decision as a file with its details as JSON. */
function decisionForm() {
  return {
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file", "decision"],
          properties: {
            file: { type: "string", format: "binary", description: "The province's decision (PDF, Word, image)" },
            decision: { type: "string", description: `JSON: ${JSON.stringify(schemaOf(DecisionFormSchema))}` },
          },
        },
      },
    },
  };
}

/** Rates, estimates, payments, settlements, statements and exports. */
export function moneyPaths() {
  return { ...estimatePaths(), ...paymentPaths() };
}

/** Rates, and an assignment's estimates and settlement. */
function estimatePaths() {
  return {
    "/rates": { post: op("addRate", "Thêm định mức chi", { 201: ok("The rate") }, { requestBody: json(RateSchema) }) },
    "/assignments/{id}/estimates": {
      get: op("listEstimates", "Các phiên bản dự toán của nhiệm vụ", { 200: ok("Estimates") }, byId),
      post: op(
        "prepareEstimate",
        "Lập dự toán từ định mức",
        { 201: ok("The estimate") },
        { ...byId, requestBody: json(EstimateSchema) },
      ),
    },
    "/assignments/{id}/estimate.xlsx": { get: op("exportEstimate", "Xuất dự toán (.xlsx)", { 200: xlsx }, byId) },
    "/assignments/{id}/settlement": {
      get: op("getSettlement", "Bảng kê chi thù lao chuyên gia", { 200: ok("The statement") }, byId),
    },
    "/assignments/{id}/settlement-statements": {
      post: op(
        "issueSettlementStatement",
        "Lập bảng kê chi thù lao chuyên gia (PDF, có chỗ ký nhận)",
        { 201: ok("The document being rendered; its PDF at /documents/{id}/pdf"), 400: error },
        byId,
      ),
    },
    "/assignments/{id}/estimate-documents": {
      post: op(
        "issueCostEstimateDocument",
        "Lập dự toán kinh phí dưới dạng văn bản PDF (từ phiên bản dự toán mới nhất)",
        { 201: ok("The document being rendered; its PDF at /documents/{id}/pdf"), 400: error },
        byId,
      ),
    },
    "/assignments/{id}/settlement.xlsx": { get: op("exportSettlement", "Xuất bảng kê (.xlsx)", { 200: xlsx }, byId) },
  };
}

/** Payments, reversals and experts' statements. */
function paymentPaths() {
  return {
    "/payments": {
      get: op(
        "listPayments",
        "Các khoản chi (chuyên gia: của mình)",
        { 200: ok("Payments") },
        {
          parameters: [
            query("year", { type: "integer" }),
            query("assignmentId", { type: "string", format: "uuid" }),
            query("expertId", { type: "string", format: "uuid" }),
          ],
        },
      ),
      post: op(
        "recordPayment",
        "Ghi khoản chi với chứng từ",
        { 201: ok("The payment") },
        { requestBody: json(PaymentSchema) },
      ),
    },
    "/payments.xlsx": {
      get: op(
        "exportPayments",
        "Xuất các khoản chi (.xlsx)",
        { 200: xlsx },
        { parameters: [query("year", { type: "integer" })] },
      ),
    },
    "/payments/{id}/reversal": {
      post: op(
        "reversePayment",
        "Bút toán đảo một khoản chi",
        { 201: ok("The reversal") },
        { ...byId, requestBody: json(ReversalSchema) },
      ),
    },
    "/experts/{id}/statement": {
      get: op(
        "getExpertStatement",
        "Sao kê thù lao của chuyên gia trong năm",
        { 200: ok("The statement") },
        { parameters: [path("id", "uuid"), year] },
      ),
    },
    "/experts/{id}/statement.xlsx": {
      get: op(
        "exportExpertStatement",
        "Xuất sao kê (.xlsx)",
        { 200: xlsx },
        { parameters: [path("id", "uuid"), year] },
      ),
    },
  };
}
