import { expect } from "chai";
import { cp, mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { createEmailTemplates, type EmailTemplates } from "../../server/mail/templates.js";
import {
  EMAIL_TEMPLATE_NAMES,
  type EmailAssignment,
  type EmailOrg,
  type EmailTemplateData,
  type EmailTemplateName,
} from "../../server/mail/types.js";
import { AppError } from "../../server/errors.js";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates/emails");
const base = "https://tvpb.lienhiephoi-hagiang.vn";

const org: EmailOrg = {
  name: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
  shortName: "LHH Hà Giang",
  address: "Số 225 đường Trần Hưng Đạo, phường Hà Giang 1, tỉnh Tuyên Quang",
  email: "vanphong@lienhiephoi-hagiang.vn",
  phone: "0219 3867 145",
};
const assignment: EmailAssignment = {
  code: "PB-2026-007",
  title: "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030, định hướng 2035",
  typeLabel: "phản biện",
  agencyName: "Ủy ban nhân dân tỉnh Hà Giang",
  url: `${base}/assignments/PB-2026-007`,
};
const agency = { org, recipient: { name: "Sở Nông nghiệp và Môi trường tỉnh Hà Giang" }, assignment };
const expert = { org, recipient: { name: "TS. Nguyễn Thị Phương Thảo" }, assignment };
const secretariat = { org, recipient: { name: "Ban Tư vấn phản biện" } };
const leader = { org, recipient: { name: "PGS.TS. Đặng Văn Hưng, Chủ tịch Liên hiệp hội" } };

/** Realistic data for every template (several variants for the ones that have them). */
const fixtures: { [N in EmailTemplateName]: Array<EmailTemplateData[N]> } = {
  "order.acknowledged": [
    { ...agency, receivedAt: "05/01/2026", incomingNumber: "12/CVĐ", screeningDueAt: "12/01/2026" },
    { ...agency, receivedAt: "05/01/2026" },
  ],
  "documents.requested": [
    {
      ...agency,
      letterNumber: "37/LHH-TVPB",
      dueAt: "20/01/2026",
      documents: [
        { name: "Tờ trình đề nghị phê duyệt Đề án", note: "bản có chữ ký, đóng dấu" },
        { name: "Báo cáo đánh giá tác động môi trường vùng trồng dược liệu" },
        { name: "Dự toán kinh phí thực hiện Đề án" },
      ],
      links: { respond: `${base}/orders/PB-2026-007/documents?t=abc.def` },
    },
  ],
  "order.accepted": [
    {
      ...agency,
      letterNumber: "41/LHH-TVPB",
      formLabel: "Hội đồng phản biện, kết hợp hội thảo khoa học",
      expectedAt: "17/03/2026",
      contact: { name: "ThS. Lê Thu Hà", phone: "0912 345 678", email: "ha.lt@lienhiephoi-hagiang.vn" },
    },
  ],
  "order.declined": [
    {
      ...agency,
      letterNumber: "42/LHH-TVPB",
      reasons: [
        "Nội dung đề nghị không thuộc phạm vi tư vấn, phản biện và giám định xã hội của Liên hiệp hội.",
        "Thời hạn đề nghị (05 ngày làm việc) không đủ để thành lập Hội đồng.",
      ],
    },
  ],
  "result.sent": [
    {
      ...agency,
      document: {
        number: "12/BC-LHH",
        date: "17/03/2026",
        title: "Báo cáo kết quả phản biện Đề án phát triển cây dược liệu",
        filename: "12-BC-LHH.pdf",
        signed: true,
      },
      responseDueAt: "28/04/2026",
      recommendationsCount: 9,
      links: { respond: `${base}/responses/PB-2026-007?t=xyz` },
    },
    {
      ...agency,
      document: {
        number: "12/BC-LHH",
        date: "17/03/2026",
        title: "Báo cáo kết quả phản biện Đề án phát triển cây dược liệu",
        filename: "12-BC-LHH.pdf",
        signed: false,
      },
      links: { respond: `${base}/responses/PB-2026-007?t=xyz` },
    },
  ],
  "response.reminder": (["before", "due", "after"] as const).map((variant) => ({
    ...agency,
    variant,
    dueAt: "28/04/2026",
    workingDays: variant === "due" ? undefined : 2,
    document: { number: "12/BC-LHH", date: "17/03/2026" },
    links: { respond: `${base}/responses/PB-2026-007?t=xyz` },
  })),
  invitation: [
    {
      ...expert,
      panelLabel: "Hội đồng phản biện",
      role: "Ủy viên phản biện",
      dueAt: "17/02/2026",
      respondBy: "09/01/2026",
      summary:
        "Đề án xác định 12 loài dược liệu chủ lực (sâm Bố Chính, đương quy, tam thất…), vùng trồng 3.500 ha tại " +
        "các huyện vùng cao và tổng kinh phí dự kiến 1.250 tỷ đồng.",
      workload: "Khoảng 120 trang hồ sơ; 01 phiên họp Hội đồng",
      fee: "Theo Thông tư 11/2015/TT-BTC: 1.000.000 đồng/bản nhận xét",
      confidential: true,
      links: { accept: `${base}/i/accept?t=aaa.bbb`, decline: `${base}/i/decline?t=ccc.ddd` },
    },
  ],
  "opinion.reminder": (["before", "due", "overdue"] as const).map((variant) => ({
    ...expert,
    variant,
    dueAt: "17/02/2026",
    workingDays: variant === "due" ? undefined : 3,
    links: { submit: `${base}/opinions/77`, requestExtension: `${base}/opinions/77/extension` },
  })),
  "extension.decided": [
    {
      ...expert,
      granted: true,
      previousDueAt: "17/02/2026",
      newDueAt: "24/02/2026",
      links: { submit: `${base}/opinions/77` },
    },
    {
      ...expert,
      granted: false,
      previousDueAt: "17/02/2026",
      reason: "Hội đồng đã chốt lịch họp ngày 26/02/2026.",
      links: { submit: `${base}/opinions/77` },
    },
  ],
  "expert.thanks": [
    {
      ...expert,
      role: "Ủy viên phản biện",
      report: {
        number: "12/BC-LHH",
        date: "17/03/2026",
        summary:
          "Đề án cơ bản đáp ứng yêu cầu; đề nghị điều chỉnh quy mô vùng trồng và bổ sung cơ chế liên kết tiêu " +
          "thụ trước khi trình phê duyệt.",
      },
    },
    { ...expert, role: "Thư ký khoa học" },
  ],
  "signin.link": [
    {
      org,
      recipient: { name: "Trần Văn Bình" },
      expiresIn: "30 phút",
      requestedAt: "08:15 ngày 06/01/2026",
      links: { signin: `${base}/signin?t=eyJ.sig` },
    },
  ],
  "secretariat.digest": [
    {
      ...secretariat,
      date: "06/01/2026",
      overdue: [
        {
          code: "PB-2026-007",
          title: assignment.title,
          step: "Bản nhận xét",
          waitingOn: "TS. Lê Văn Hùng",
          dueAt: "05/01/2026",
          overdueBy: "1 ngày làm việc",
          url: `${base}/assignments/PB-2026-007`,
        },
      ],
      waiting: [
        {
          code: "TV-2026-003",
          title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
          step: "Tổng hợp dự thảo báo cáo",
          waitingOn: "ThS. Lê Thu Hà",
          dueAt: "09/01/2026",
          url: `${base}/assignments/TV-2026-003`,
        },
        {
          code: "GĐ-2026-001",
          title: "Dự án hồ chứa nước Nậm Ngòa",
          step: "Lập kế hoạch hội thảo thực địa",
          waitingOn: "Ban Tư vấn phản biện",
          dueAt: "12/01/2026",
          url: `${base}/assignments/G%C4%90-2026-001`,
        },
      ],
      links: { dashboard: `${base}/dashboard` },
    },
    { ...secretariat, date: "07/01/2026", overdue: [], waiting: [], links: { dashboard: `${base}/dashboard` } },
  ],
  "delivery.failed": [
    {
      ...secretariat,
      assignment,
      failedRecipient: { name: "TS. Lê Văn Hùng", address: "hung.lv@vnua.edu.vn" },
      mailSubject: "Thư mời tham gia Hội đồng phản biện Đề án phát triển cây dược liệu",
      error: "550 5.1.1 <hung.lv@vnua.edu.vn>: Mailbox does not exist",
      occurredAt: "08:02 ngày 06/01/2026",
    },
  ],
  escalation: (["secretariat", "leadership"] as const).map((level) => ({
    ...(level === "secretariat" ? secretariat : leader),
    assignment,
    level,
    party: {
      name: "TS. Lê Văn Hùng",
      roleLabel: "Ủy viên phản biện",
      email: "hung.lv@vnua.edu.vn",
      phone: "0983 111 222",
    },
    taskLabel: "Bản nhận xét",
    dueAt: "17/02/2026",
    overdueBy: level === "secretariat" ? "3 ngày làm việc" : "5 ngày làm việc",
    remindersSent: 4,
  })),
  "leadership.pending": [
    {
      ...leader,
      items: [
        {
          code: "PB-2026-007",
          title: assignment.title,
          actionLabel: "Phê duyệt danh sách Hội đồng",
          since: "05/01/2026",
          dueAt: "07/01/2026",
          url: `${base}/assignments/PB-2026-007/panel`,
        },
        {
          code: "PB-2025-031",
          title: "Dự thảo Nghị quyết của HĐND tỉnh về chính sách thu hút, trọng dụng trí thức",
          actionLabel: "Ký báo cáo kết quả phản biện",
          since: "02/01/2026",
          url: `${base}/assignments/PB-2025-031/report`,
        },
      ],
      links: { inbox: `${base}/inbox` },
    },
  ],
  "panel.approved": [
    {
      ...expert,
      panelLabel: "Hội đồng phản biện",
      role: "Chủ tịch Hội đồng",
      decision: { number: "05/QĐ-LHH", date: "12/01/2026" },
      dueAt: "27/01/2026",
      links: { dossier: `${base}/assignments/PB-2026-007`, submit: `${base}/assignments/PB-2026-007#opinion` },
    },
    {
      ...expert,
      panelLabel: "Tổ chuyên gia tư vấn",
      role: "Thành viên",
      dueAt: "27/01/2026",
      links: { dossier: `${base}/assignments/PB-2026-007`, submit: `${base}/assignments/PB-2026-007#opinion` },
    },
  ],
  "extension.requested": [
    {
      ...secretariat,
      assignment,
      expert: { name: "TS. Lê Văn Hùng" },
      days: 7,
      reason: "Cần khảo sát bổ sung vùng trồng sâm tại huyện Quản Bạ.",
      currentDueAt: "27/01/2026",
      links: { decide: `${base}/assignments/PB-2026-007#extensions` },
    },
  ],
  "workshop.invitation": [
    {
      ...expert,
      scheduledAt: "08:30 ngày 20/01/2026",
      place: "Hội trường Liên hiệp hội, số 225 đường Trần Hưng Đạo",
      letterNumber: "03/GM-LHH",
      links: { details: `${base}/assignments/PB-2026-007` },
    },
    {
      ...expert,
      scheduledAt: "14:00 ngày 21/01/2026",
      place: "UBND xã Lũng Cú (hội thảo thực địa)",
      links: { details: `${base}/assignments/PB-2026-007` },
    },
  ],
  "response.received": [
    {
      ...secretariat,
      assignment,
      receivedAt: "28/04/2026",
      resultNumber: "12/BC-LHH",
      total: 9,
      accepted: 6,
      partly: 2,
      notAccepted: 1,
      links: { review: `${base}/assignments/PB-2026-007#response` },
    },
  ],
  "invitation.expired": [
    {
      ...secretariat,
      assignment,
      panelLabel: "Hội đồng phản biện",
      expert: { name: "TS. Lê Văn Hùng", roleLabel: "Thành viên" },
      dueAt: "09/01/2026",
      alternate: { name: "PGS.TS. Hoàng Thị Lan", roleLabel: "Thành viên" },
      links: { panel: `${base}/assignments/PB-2026-007#panel` },
    },
    {
      ...secretariat,
      assignment,
      panelLabel: "Hội đồng phản biện",
      expert: { name: "TS. Lê Văn Hùng", roleLabel: "Thành viên" },
      dueAt: "09/01/2026",
      links: { panel: `${base}/assignments/PB-2026-007#panel` },
    },
  ],
  "opinion.edited": [
    {
      ...expert,
      version: 2,
      reason: "Sửa lỗi đánh máy số liệu diện tích tại mục II theo xác nhận qua điện thoại của chuyên gia.",
      editedAt: "15/01/2026",
      editorName: "ThS. Lê Thu Hà",
      links: { opinion: `${base}/assignments/PB-2026-007#opinion` },
    },
  ],
  "assignment.withdrawn": [
    {
      ...secretariat,
      assignment,
      reason: "UBND tỉnh dừng xây dựng Đề án để lồng ghép vào Quy hoạch tỉnh.",
      stateLabel: "Đang phản biện",
      withdrawnAt: "16/01/2026",
      links: { assignment: `${base}/assignments/PB-2026-007` },
    },
  ],
  "annualPlan.notice": [
    {
      ...secretariat,
      subject: "Đã nhận đề xuất nhiệm vụ cho danh mục năm 2027",
      message: "Liên hiệp hội đã nhận đề xuất nhiệm vụ của quý cơ quan cho Danh mục năm 2027.",
      plan: {
        title: "Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
        url: `${base}/annual-plans/1`,
      },
    },
  ],
};

/** Every URL the data carries that the reader must be able to follow from the text part. */
function linksOf(data: Record<string, unknown>): string[] {
  const urls = new Set<string>();
  for (const v of Object.values((data.links as Record<string, string>) ?? {})) if (v) urls.add(v);
  for (const key of ["overdue", "waiting", "items"]) {
    for (const row of (data[key] as Array<{ url: string }> | undefined) ?? []) urls.add(row.url);
  }
  return [...urls];
}

describe("e-mail templates", () => {
  let templates: EmailTemplates;
  before(() => {
    templates = createEmailTemplates({ dir });
  });

  it("has a template for every documented name", () => {
    expect(templates.names()).to.include.members([...EMAIL_TEMPLATE_NAMES]);
  });

  for (const name of EMAIL_TEMPLATE_NAMES) {
    for (const locale of ["vi", "en"]) {
      it(`renders ${name} in ${locale}: one-line subject, filled HTML, text with the links`, () => {
        const variants = fixtures[name] as Array<Record<string, unknown>>;
        const subjects = new Set<string>();
        for (const data of variants) {
          const out = templates.render(name, locale, data as never);
          expect(out.subject, "subject").to.not.match(/[\r\n]/);
          expect(out.subject).to.equal(out.subject.trim());
          expect(out.subject.length).to.be.within(10, 250);
          subjects.add(out.subject);
          for (const part of [out.subject, out.html, out.text]) {
            expect(part).to.not.contain("{{");
            expect(part).to.not.contain("}}");
            expect(part).to.not.contain("undefined");
            expect(part).to.not.contain("[object Object]");
          }
          expect(out.html).to.match(/^<!DOCTYPE html>/);
          expect(out.html).to.contain(`lang="${locale}"`);
          // No remote images, scripts or stylesheets: everything is inline.
          expect(out.html).to.not.match(/<img|<script|<link|src=|url\(/i);
          expect(out.html).to.contain("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang");
          const recipient = (data.recipient as { name: string }).name;
          expect(out.text).to.contain(recipient);
          expect(out.text).to.contain("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang");
          expect(out.text).to.not.match(/\n{3,}/);
          if (locale === "vi") {
            expect(out.text).to.match(/^Kính gửi /);
            expect(out.text).to.contain("Trân trọng,");
          } else {
            expect(out.text).to.match(/^Dear /);
            expect(out.text).to.contain("Yours sincerely,");
          }
          for (const url of linksOf(data)) {
            expect(out.text, `${name} text has ${url}`).to.contain(url);
            // Handlebars escapes & and = in attributes; browsers and mail clients decode them.
            expect(out.html, `${name} html has ${url}`).to.contain(`href="${Handlebars.Utils.escapeExpression(url)}"`);
          }
        }
        if (["response.reminder", "opinion.reminder", "extension.decided", "escalation"].includes(name)) {
          expect(subjects.size, "each variant has its own subject").to.equal(variants.length);
        }
      });
    }
  }

  it("gives the invitation the subject the secretariat writes by hand", () => {
    const out = templates.render("invitation", "vi", fixtures.invitation[0]);
    expect(out.subject).to.equal(
      "Thư mời tham gia Hội đồng phản biện Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030, định hướng 2035",
    );
    expect(out.text).to.contain("Nhận lời tham gia: https://tvpb.lienhiephoi-hagiang.vn/i/accept?t=aaa.bbb");
    expect(out.text).to.contain("Từ chối: https://tvpb.lienhiephoi-hagiang.vn/i/decline?t=ccc.ddd");
    expect(out.text).to.contain("bảo mật");
  });

  it("distinguishes the before, due and overdue reminder variants", () => {
    const subjects = fixtures["opinion.reminder"].map((d) => templates.render("opinion.reminder", "vi", d).subject);
    expect(subjects[0]).to.match(/^Nhắc hạn gửi bản nhận xét/);
    expect(subjects[1]).to.match(/^Hôm nay đến hạn/);
    expect(subjects[2]).to.match(/^Bản nhận xét đã quá hạn/);
    const overdue = templates.render("response.reminder", "en", fixtures["response.reminder"][2]);
    expect(overdue.subject).to.contain("overdue");
    expect(overdue.text).to.contain("2 working days overdue");
    const refused = templates.render("extension.decided", "vi", fixtures["extension.decided"][1]);
    expect(refused.text).to.contain("Hội đồng đã chốt lịch họp ngày 26/02/2026.");
    expect(refused.text).to.contain("vẫn là ngày 17/02/2026");
  });

  it("says the result is digitally signed only when the attached report is", () => {
    const [signed, unsigned] = fixtures["result.sent"];
    for (const part of ["text", "html"] as const) {
      expect(templates.render("result.sent", "vi", signed)[part]).to.contain("đã được ký số");
      expect(templates.render("result.sent", "vi", unsigned)[part]).to.not.contain("ký số");
      expect(templates.render("result.sent", "en", signed)[part]).to.contain("digitally signed");
      expect(templates.render("result.sent", "en", unsigned)[part]).to.not.contain("signed");
    }
  });

  it("escapes data in HTML but not in the text part or the subject", () => {
    const data = {
      ...fixtures["order.declined"][0],
      assignment: { ...assignment, title: `Dự án "A & B" <script>alert(1)</script>` },
    };
    const out = templates.render("order.declined", "vi", data);
    expect(out.html).to.not.contain("<script>");
    expect(out.html).to.contain("&lt;script&gt;");
    expect(out.text).to.contain(`Dự án "A & B" <script>`);
    expect(out.subject).to.contain(`"A & B"`);
  });

  it("collapses a multi-line value into a one-line subject", () => {
    const data = {
      ...fixtures["order.accepted"][0],
      assignment: { ...assignment, title: "Đề án\r\nphát triển   cây dược liệu\n" },
    };
    expect(templates.render("order.accepted", "vi", data).subject).to.equal(
      "[LHH Hà Giang] Chấp thuận thực hiện phản biện: Đề án phát triển cây dược liệu",
    );
  });

  it("falls back to Vietnamese for an unknown locale and understands region tags", () => {
    const data = fixtures["signin.link"][0];
    expect(templates.render("signin.link", "fr", data)).to.deep.equal(templates.render("signin.link", "vi", data));
    expect(templates.render("signin.link", "en-GB", data).subject).to.equal("[LHH Hà Giang] Your sign-in link");
  });

  it("refuses an unknown template with 400 unknown_email_template", () => {
    try {
      templates.render("order.misplaced" as EmailTemplateName, "vi", fixtures["signin.link"][0] as never);
      expect.fail("should throw");
    } catch (err) {
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).status).to.equal(400);
      expect((err as AppError).code).to.equal("unknown_email_template");
    }
  });

  it("parses every built-in template and finds every partial it names", () => {
    expect(() => createEmailTemplates({ dir, check: true })).to.not.throw();
  });

  it("refuses, when checking, a template that does not parse or names an unknown partial, naming the file", async () => {
    for (const [bad, message] of [
      ["{{#if x}}Kính gửi", /vi\/invitation\.html does not compile/],
      ["{{> khongCo}}", /vi\/invitation\.html does not compile: the partial khongCo could not be found/],
    ] as const) {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "tvpb-emails-"));
      try {
        await cp(dir, tmp, { recursive: true });
        await writeFile(path.join(tmp, "vi", "invitation.html.hbs"), bad);
        expect(() => createEmailTemplates({ dir: tmp, check: true })).to.throw(message);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  });

  it("refuses to start with a template folder that lacks a built-in template", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "tvpb-emails-"));
    try {
      await mkdir(path.join(tmp, "vi"));
      expect(() => createEmailTemplates({ dir: tmp })).to.throw(/missing in vi/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
