/** The year's plan and money documents: view-model builders, their types and their renderer. */
export { buildCostEstimateModel, type CostEstimateInput } from "./costEstimateModel.js";
export { buildFeeSettlementModel, type FeeSettlementInput } from "./feeSettlementModel.js";
export { buildPlanExecutionReportModel, type ExecutionReportInput } from "./planExecutionReportModel.js";
export { buildPlanSubmissionModel, type PlanSubmissionInput, type SubmittedItem } from "./planSubmissionModel.js";
export {
  createPlanDocumentTemplates,
  PLAN_DOCUMENT_KIND_INFO,
  type PlanDocumentTemplates,
} from "./planDocumentTemplates.js";
export * from "./types.js";
