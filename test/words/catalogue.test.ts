/**
 * The catalogue of words is complete: every code a person can meet (states, types, forms, subject
 * kinds, roles, urgency, origins, file kinds, conclusions, events, error codes…) has a word in
 * Vietnamese and in English, and the two locale files have the same keys and placeholders.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { assignmentMachine } from "../../workflows/assignment/assignmentMachine.js";
import { invitationMachine } from "../../workflows/invitation/invitationMachine.js";
import { FILE_KINDS } from "../../server/commands/uploadDossierFile.js";
import { SUBJECT_KINDS, URGENCIES } from "../../workflows/assignment/types.js";
import { activityStatusOf } from "../../server/documents/documentWords.js";
import { DOCUMENT_KINDS, type PanelRole } from "../../server/documents/types.js";
import {
  CreateOrderSchema,
  EVENT_SCHEMAS,
  OpinionContentSchema,
  ReportContentSchema,
} from "../../server/http/schemas.js";
import { EMAIL_TEMPLATE_NAMES } from "../../server/mail/types.js";
import { ROLES } from "../../server/runtime/actor.js";
import { hasLabel, label, LOCALES, localeStrings, wordsFor } from "../../server/words/catalogue.js";
import { errorMessage } from "../../server/words/errorMessage.js";
import { personName } from "../../server/words/personName.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

type Node = { path: string[]; type: string; always?: unknown[]; states?: Record<string, Node> };

/** The states a workflow can rest in (no history pseudo-states, no transient routing states). */
function restingStates(machine: { root: unknown }): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    const kids = Object.values(n.states ?? {});
    if (!kids.length && n.type !== "history" && !n.always?.length) out.push(n.path.join("."));
    kids.forEach(walk);
  };
  walk(machine.root as Node);
  return out;
}

/** The assignment's states as stored and labelled ("active" is structural: "active.underReview" → "underReview"). */
const assignmentStates = restingStates(assignmentMachine).map((p) => p.replace(/^active\./, ""));

/** Every code of each group of words, read from where the program keeps the codes. */
const GROUPS: Record<string, readonly string[]> = {
  state: assignmentStates,
  stage: [...new Set(assignmentStates.map((s) => s.split(".")[0]))],
  invitation: restingStates(invitationMachine),
  event: [...new Set([...assignmentMachine.events, ...invitationMachine.events, ...Object.keys(EVENT_SCHEMAS)])],
  type: CreateOrderSchema.shape.type.options,
  form: CreateOrderSchema.shape.forms.element.options,
  subjectKind: SUBJECT_KINDS,
  origin: CreateOrderSchema.shape.origin.unwrap().options,
  urgency: ["none", ...URGENCIES],
  role: ROLES,
  panelRole: ["chair", "secretary", "member"],
  fileKind: FILE_KINDS,
  conclusion: OpinionContentSchema.shape.conclusion.unwrap().options,
  reportConclusion: ReportContentSchema.shape.conclusion.unwrap().options,
  response: ["accepted", "partly", "not_accepted"],
  doc: DOCUMENT_KINDS,
  documentType: DOCUMENT_KINDS,
  documentRole: (["chair", "viceChair", "secretary", "reviewer", "member"] satisfies PanelRole[]).flatMap((r) => [
    `council.${r}`,
    `expertGroup.${r}`,
  ]),
};

/** Every file under `dir` ending in `.ts`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith(".ts") ? [file] : [];
  });
}

/** The stable codes AppErrors are thrown with anywhere in server/ (as literals), plus the defaults. */
function appErrorCodes(): string[] {
  const codes = new Set(["internal_error", "forbidden"]);
  const patterns = [
    /new (?:AppError|ValidationError|NotFoundError|ConflictError)\(\s*(?:\d+\s*,\s*)?"([a-z_]+)"/g,
    /new ForbiddenError\(\s*(?:"[^"]*"|`[^`]*`)\s*,\s*"([a-z_]+)"/g,
    /super\(\s*\d+\s*,\s*"([a-z_]+)"/g,
  ];
  for (const file of sourceFiles(path.join(root, "server"))) {
    const text = readFileSync(file, "utf8");
    for (const re of patterns) for (const m of text.matchAll(re)) codes.add(m[1]);
  }
  return [...codes].sort();
}

describe("words/catalogue", () => {
  for (const [group, codes] of Object.entries(GROUPS)) {
    it(`has a Vietnamese and an English word for every code of "${group}"`, () => {
      expect(codes, group).to.not.be.empty;
      for (const locale of LOCALES) {
        const missing = codes.filter((code) => !hasLabel(group, code, locale));
        expect(missing, `${group} codes without a word in ${locale}.json`).to.deep.equal([]);
      }
    });
  }

  it("has a message in both languages for every error code thrown in server/", () => {
    const codes = appErrorCodes();
    expect(codes).to.include.members(["validation_failed", "assignment_not_found", "unauthenticated", "rate_limited"]);
    for (const locale of LOCALES) {
      const missing = codes.filter((code) => !hasLabel("error", code, locale));
      expect(missing, `error codes without a message in ${locale}.json`).to.deep.equal([]);
    }
  });

  it("has the same keys in vi.json and en.json, none empty, with the same {placeholders}", () => {
    const vi = localeStrings("vi");
    const en = localeStrings("en");
    expect(
      Object.keys(vi).filter((k) => !(k in en)),
      "keys missing in en.json",
    ).to.deep.equal([]);
    expect(
      Object.keys(en).filter((k) => !(k in vi)),
      "keys missing in vi.json",
    ).to.deep.equal([]);
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(vi)) {
      expect(vi[key].trim(), `vi ${key}`).to.not.equal("");
      expect(en[key].trim(), `en ${key}`).to.not.equal("");
      expect(vars(en[key]), `placeholders of ${key}`).to.deep.equal(vars(vi[key]));
    }
  });

  it("puts every state of the assignment in a status of the activity report", () => {
    for (const state of assignmentStates) {
      const bucket = activityStatusOf(state);
      expect(bucket, state).to.be.a("string");
      expect(hasLabel("activityStatus", bucket!), state).to.equal(true);
    }
  });

  it("has words for every mail template's data builder to speak both languages", () => {
    expect(EMAIL_TEMPLATE_NAMES).to.include("leadership.pending");
    for (const step of ["screening.proposedAccept", "panelFormation.proposed", "approval.awaitingLeadership"])
      for (const locale of LOCALES) expect(hasLabel("mail.leadershipAction", step, locale), step).to.equal(true);
  });

  it("reads a word through label(), Words and the fallbacks", () => {
    expect(label("state", "underReview")).to.equal("Đang phản biện");
    expect(label("type", "critique", "en")).to.equal("Critique");
    const en = wordsFor("en");
    expect(en.lower("type", "critique")).to.equal("critique");
    expect(en.t("mail.panel.council", { type: "critique" })).to.equal("critique council");
    expect(en.count("mail.days", 1)).to.equal("1 day");
    expect(en.count("mail.days", 3)).to.equal("3 days");
    expect(en.labelOr("state", "noSuchState")).to.equal("noSuchState");
    expect(wordsFor("vi").lower("form", "written")).to.equal("lấy ý kiến bằng văn bản");
  });

  it("gives an error's message in the reader's language, keeping a thrown Vietnamese message for Vietnamese readers", () => {
    expect(errorMessage("assignment_not_found", "en", "Không tìm thấy nhiệm vụ.")).to.equal("Assignment not found.");
    expect(errorMessage("rule_violated", "vi", "Cần tối thiểu 3 ý kiến.")).to.equal("Cần tối thiểu 3 ý kiến.");
    expect(errorMessage("internal_error", "vi")).to.equal("Đã có lỗi hệ thống. Vui lòng thử lại sau.");
    expect(errorMessage("no_such_code", "en", "Thông báo")).to.equal("Thông báo");
  });
});

describe("words/personName", () => {
  it("writes title and degree together before the name, without repeating a degree the title holds", () => {
    expect(personName({ fullName: "Nguyễn Văn A", academicTitle: "PGS.", degree: "TS." })).to.equal(
      "PGS.TS. Nguyễn Văn A",
    );
    expect(personName({ fullName: "Nguyễn Văn A", academicTitle: "PGS.TS.", degree: "TS." })).to.equal(
      "PGS.TS. Nguyễn Văn A",
    );
    expect(personName({ fullName: "Trần Thị B", academicTitle: null, degree: "TS." })).to.equal("TS. Trần Thị B");
    expect(personName({ fullName: "Lê Văn C" })).to.equal("Lê Văn C");
  });
});
