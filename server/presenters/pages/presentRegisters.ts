/** The clerk's incoming and outgoing registers of a year, with links to the years around it. */
import type { listRegisters } from "../../queries/listRegisters.js";
import type { Translate } from "./pageTypes.js";

type Registers = Awaited<ReturnType<typeof listRegisters>>;

function incomingOf(rows: Registers["incoming"], t: Translate) {
  return rows.map(({ assignment: a, agencyName }, i) => ({
    n: i + 1,
    id: a.id,
    code: a.code,
    title: a.title,
    agencyName,
    orderNumber: a.orderNumber,
    orderDate: a.orderDate,
    receivedAt: a.createdAt.toISOString(),
    registered: a.state !== "ordered",
    stateLabel: t(`state.${a.state}`),
  }));
}

function outgoingOf(rows: Registers["outgoing"], t: Translate) {
  return rows.map(({ document: d, code, title }) => ({
    id: d.id,
    assignmentId: d.assignmentId,
    label: d.numberLabel ?? `${String(d.number).padStart(2, "0")}/${d.register}`,
    register: d.register,
    kindLabel: t(`doc.${d.kind}`),
    code,
    title,
    docTitle: d.title,
    issuedAt: d.issuedAt?.toISOString() ?? null,
    status: d.status,
  }));
}

/** The page model; `canIssueReport` shows the activity-report form. */
export function presentRegisters(input: { year: number; registers: Registers; canIssueReport: boolean }, t: Translate) {
  return {
    year: input.year,
    prevYear: input.year - 1,
    nextYear: input.year + 1,
    canIssueReport: input.canIssueReport,
    incoming: incomingOf(input.registers.incoming, t),
    outgoing: outgoingOf(input.registers.outgoing, t),
  };
}
