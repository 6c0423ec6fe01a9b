/** The clerk's incoming and outgoing registers of a year, with links to the years around it. */
import type { listRegisters } from "../../queries/listRegisters.js";
import type { Translate } from "./pageTypes.js";

type Registers = Awaited<ReturnType<typeof listRegisters>>;

/** Where each register's page starts (as read by the page): cursors and the first row's number. */
type Position = {
  incoming: object | null;
  outgoing: object | null;
  inFrom: number;
  outFrom: number;
};

const encode = (c: object) => Buffer.from(JSON.stringify(c)).toString("base64url");

/** "?year=…&in=…&inFrom=…&out=…&outFrom=…" for a position. */
function positionLink(year: number, p: Position) {
  const params = new URLSearchParams({ year: String(year) });
  if (p.incoming) params.set("in", encode(p.incoming));
  if (p.incoming) params.set("inFrom", String(p.inFrom));
  if (p.outgoing) params.set("out", encode(p.outgoing));
  if (p.outgoing) params.set("outFrom", String(p.outFrom));
  return `?${params.toString()}`;
}

/** Each register's "next page" and "from the start" links; the other register keeps its place. */
function pagerOf(year: number, r: Registers, at: Position) {
  const link = (p: Position) => positionLink(year, p);
  const n = r.incoming.length;
  const m = r.outgoing.length;
  return {
    incomingNext: r.nextIncoming ? link({ ...at, incoming: r.nextIncoming, inFrom: at.inFrom + n }) : null,
    incomingStart: at.incoming ? link({ ...at, incoming: null, inFrom: 1 }) : null,
    outgoingNext: r.nextOutgoing ? link({ ...at, outgoing: r.nextOutgoing, outFrom: at.outFrom + m }) : null,
    outgoingStart: at.outgoing ? link({ ...at, outgoing: null, outFrom: 1 }) : null,
  };
}

function incomingOf(rows: Registers["incoming"], from: number, t: Translate) {
  return rows.map(({ assignment: a, agencyName }, i) => ({
    n: from + i,
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
export function presentRegisters(
  input: { year: number; registers: Registers; from?: Position; canIssueReport: boolean },
  t: Translate,
) {
  const from = input.from ?? { incoming: null, outgoing: null, inFrom: 1, outFrom: 1 };
  return {
    year: input.year,
    prevYear: input.year - 1,
    nextYear: input.year + 1,
    canIssueReport: input.canIssueReport,
    incoming: incomingOf(input.registers.incoming, from.inFrom, t),
    ...pagerOf(input.year, input.registers, from),
    outgoing: outgoingOf(input.registers.outgoing, t),
  };
}
