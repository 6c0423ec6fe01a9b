/** The page forms read into the commands' inputs: panel picks, settings, the report draft, the import file. */
import { expect } from "chai";
import { readPanelForm } from "../../../server/http/pages/forms/readPanelForm.js";
import { readSettingsForm } from "../../../server/http/pages/forms/readSettingsForm.js";
import { readReportForm } from "../../../server/http/pages/forms/readReportForm.js";
import { applyRowAction, readRowAction } from "../../../server/http/pages/forms/rowActions.js";
import { parseCsv, previewCsv } from "../../../server/http/pages/forms/expertCsv.js";
import { DEFAULT_SETTINGS } from "../../../server/settings.js";

const t = (k: string) => `«${k}»`;
const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";
const C = "33333333-3333-4333-8333-333333333333";

describe("page forms", () => {
  it("turns the panel picks into members and alternates in the order of their rank", () => {
    const { event } = readPanelForm({
      pick: { [A]: "chair", [B]: "alternate", [C]: "alternate", x: "" },
      rank: { [B]: "2", [C]: "1" },
      expectedVersion: "7",
    });
    expect(event).to.deep.equal({
      type: "panel.invite",
      members: [{ expertId: A, role: "chair" }],
      alternates: [
        { expertId: C, role: "member" },
        { expertId: B, role: "member" },
      ],
      expectedVersion: 7,
    });
  });

  it("names the first wrong settings field, and a holiday outside the year as `holidays`", () => {
    const wrongName = readSettingsForm({ name: "" }, DEFAULT_SETTINGS, 2026);
    expect(wrongName).to.deep.equal({ field: "name" });
    const s = DEFAULT_SETTINGS;
    const good = {
      name: "LHH",
      shortName: "LHH",
      parentBody: "",
      issuerName: "LIÊN HIỆP",
      issuerAbbr: "LHH",
      unitAbbr: "TVPB",
      place: "",
      address: "",
      email: "",
      phone: "",
      margins: { top: "20", bottom: "20", left: "30", right: "15" },
      timeline: Object.fromEntries(Object.entries(s.timeline).map(([k, v]) => [k, String(v)])),
      minPanel: { council: "3" },
      minOpinions: { council: "3" },
      reminder: { before: "3, 1", after: "1", escalateSecretariatAfter: "2", escalateLeadershipAfter: "5" },
      year: "2026",
    };
    expect(readSettingsForm({ ...good, holidays: "2025-09-02 Quốc khánh" }, s, 2026)).to.deep.equal({
      field: "holidays",
    });
    const ok = readSettingsForm({ ...good, holidays: "2026-09-02 Quốc khánh" }, s, 2026);
    expect(ok).to.have.property("year", 2026);
    if (!("input" in ok)) throw new Error("expected an input");
    expect(ok.input.holidays).to.deep.equal({ year: 2026, days: [{ day: "2026-09-02", name: "Quốc khánh" }] });
    expect(ok.input.settings?.reminders?.default).to.deep.equal({
      before: [3, 1],
      onDue: false,
      after: [1],
      escalateSecretariatAfter: 2,
      escalateLeadershipAfter: 5,
    });
  });

  it("keeps the report's non-empty rows and only real opinion ids as sources", () => {
    const form = readReportForm(
      {
        overall: [{ title: "", paragraphs: [{ text: " Đoạn ", sources: `${A}, not-an-id` }, { text: " " }] }, {}],
        specific: [
          { title: "IV. Giải pháp", paragraphs: [{ text: "Trích", citations: `${B}@II.2 x@I ${B}@II.2 ${C}@V` }] },
        ],
        conclusions: [{ text: "" }],
        recommendations: [{ text: "Kiến nghị" }, { text: "" }],
        matrix: [
          { section: "I", opinion: "", proposedChange: "" },
          { opinion: "Ý kiến", expertId: B },
        ],
        conclusion: "",
        note: "  ",
      },
      t,
    );
    expect(form).to.deep.equal({
      content: {
        sections: [
          { key: "overall", title: "«report.part.overall»", paragraphs: [{ text: "Đoạn", sources: [A] }] },
          {
            key: "specific",
            title: "Giải pháp",
            paragraphs: [{ text: "Trích", citations: [{ opinionId: B, part: "II.2" }] }],
          },
        ],
        recommendations: [{ text: "Kiến nghị" }],
        commentMatrix: [{ section: "", opinion: "Ý kiến", proposedChange: "", expertId: B }],
      },
    });
  });

  it("applies the editors' row buttons to the posted lists, and nothing else", () => {
    const body = { specific: [{ title: "a", paragraphs: [{ text: "1" }, { text: "2" }] }, { title: "b" }], x: "y" };
    const run = (a: string) => {
      const action = readRowAction(a, ["specific"]);
      return action ? applyRowAction(body, action) : null;
    };
    expect(run("up:specific[1]")).to.deep.include({ specific: [body.specific[1], body.specific[0]] });
    expect((run("down:specific[0][paragraphs][0]") as typeof body).specific[0].paragraphs).to.deep.equal([
      { text: "2" },
      { text: "1" },
    ]);
    expect((run("add:specific[1][paragraphs]") as typeof body).specific[1]).to.deep.equal({
      title: "b",
      paragraphs: [{}],
    });
    expect((run("remove:specific[0]") as typeof body).specific).to.deep.equal([{ title: "b" }]);
    expect(run("up:specific[0]")).to.deep.equal(body);
    expect(run("remove:x[0]")).to.equal(null);
    expect(run("add:specific[0]")).to.equal(null);
    expect(run("remove:specific")).to.equal(null);
    expect(body.specific[0].paragraphs?.[0]).to.deep.equal({ text: "1" });
  });

  it("reads a semicolon CSV with quotes and checks each row, duplicates included", () => {
    expect(parseCsv('\uFEFFfullName;fields\n"Lê, Văn ""A""";x|y\r\n\n')).to.deep.equal([
      ["fullName", "fields"],
      ['Lê, Văn "A"', "x|y"],
    ]);
    const p = previewCsv("fullName,email\nA,a@x.vn\nA,a@x.vn\n,\n", t);
    expect(p.missing).to.equal(null);
    expect(p.rows.map((r) => r.error)).to.deep.equal([null, "«import.duplicate»"]);
    expect(previewCsv("name\nA\n", t).missing).to.equal("«import.needHeader»");
  });
});
