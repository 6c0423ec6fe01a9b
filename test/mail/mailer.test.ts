import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { createMailer, messageIdFor, type Mailer, type OutgoingMail } from "../../server/adapters/mailer.js";
import { createAcceptanceJournal, memoryAcceptanceStore } from "../../server/adapters/acceptanceJournal.js";
import { EffectError } from "../../server/errors.js";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n%âãÏÓ\n"), randomBytes(40_000), Buffer.from("\n%%EOF\n")]);
const SUBJECT = "Thư mời tham gia Hội đồng phản biện Đề án phát triển cây dược liệu";

function message(over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: { name: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang", address: "tvpb@lienhiephoi-hagiang.vn" },
    replyTo: { name: "Ban Tư vấn phản biện", address: "banTVPB@lienhiephoi-hagiang.vn" },
    to: [{ name: "Nguyễn Thị Phương Thảo", address: "thao.ntp@vnua.edu.vn" }],
    cc: [{ name: "Đặng Văn Hưng (Thư ký khoa học)", address: "hung.dv@lienhiephoi-hagiang.vn" }],
    subject: SUBJECT,
    html: "<p>Kính gửi <b>TS. Nguyễn Thị Phương Thảo</b>,</p><p>Trân trọng.</p>",
    text: "Kính gửi TS. Nguyễn Thị Phương Thảo,\n\nTrân trọng.",
    attachments: [
      { filename: "Báo cáo kết quả phản biện số 12-BC-LHH.pdf", content: pdf, contentType: "application/pdf" },
    ],
    messageId: messageIdFor("invitation:inv_01J9ZK3:v1", "lienhiephoi-hagiang.vn"),
    headers: { "X-TVPB-Assignment": "PB-2026-007" },
    ...over,
  };
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address })));

/** The checks every delivered or written copy must pass. */
function expectFaithful(parsed: ParsedMail, msg: OutgoingMail) {
  expect(parsed.subject).to.equal(SUBJECT);
  expect(addresses(parsed.from)).to.deep.equal([msg.from]);
  expect(addresses(parsed.to)).to.deep.equal(msg.to);
  expect(addresses(parsed.cc)).to.deep.equal(msg.cc);
  expect(addresses(parsed.replyTo)).to.deep.equal([msg.replyTo]);
  expect(parsed.messageId).to.equal(msg.messageId);
  expect(parsed.headers.get("x-tvpb-assignment")).to.equal("PB-2026-007");
  expect(parsed.html).to.contain("Kính gửi <b>TS. Nguyễn Thị Phương Thảo</b>");
  expect(parsed.text?.trim()).to.equal(msg.text);
  expect(parsed.attachments).to.have.length(1);
  const att = parsed.attachments[0];
  expect(att.filename).to.equal("Báo cáo kết quả phản biện số 12-BC-LHH.pdf");
  expect(att.contentType).to.equal("application/pdf");
  expect(sha256(att.content)).to.equal(sha256(pdf));
}

async function expectEffectError(p: Promise<unknown>): Promise<EffectError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(EffectError);
    return err as EffectError;
  }
  return expect.fail("expected an EffectError");
}

describe("mailer", () => {
  it("derives a stable Message-ID from the idempotency key", () => {
    const a = messageIdFor("assignment:42:7:sendMail:0", "lienhiephoi-hagiang.vn");
    expect(a).to.match(/^<[0-9a-f]{32}@lienhiephoi-hagiang\.vn>$/);
    expect(messageIdFor("assignment:42:7:sendMail:0", "lienhiephoi-hagiang.vn")).to.equal(a);
    expect(messageIdFor("assignment:42:8:sendMail:0", "lienhiephoi-hagiang.vn")).to.not.equal(a);
  });

  describe("over SMTP (a real smtp-server on 127.0.0.1)", () => {
    type Received = { raw: Buffer; from: string; to: string[] };
    const received: Received[] = [];
    let server: SMTPServer;
    let port: number;
    let mailer: Mailer;

    const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

    before(async () => {
      server = new SMTPServer({
        disabledCommands: ["STARTTLS"],
        authOptional: true,
        logger: false,
        onRcptTo(address: SMTPServerAddress, _session, cb) {
          if (address.address.startsWith("khongtontai")) return cb(smtpError("5.1.1 Mailbox does not exist", 550));
          if (address.address.startsWith("hopthuday")) return cb(smtpError("4.2.2 Mailbox full, try later", 452));
          cb();
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            const raw = Buffer.concat(chunks);
            if (raw.includes("X-Test-Refuse: yes")) return cb(smtpError("5.7.1 Message refused by policy", 550));
            received.push({
              raw,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.server.address() as net.AddressInfo).port;
      const journal = createAcceptanceJournal(memoryAcceptanceStore());
      mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, outboxDir: "/nonexistent", journal });
    });

    after(async () => {
      await mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    beforeEach(() => {
      received.length = 0;
    });

    it("delivers Vietnamese names, subject, both parts and a byte-identical PDF", async () => {
      const msg = message();
      const result = await mailer.send(msg);
      expect(mailer.mode).to.equal("smtp");
      expect(result.messageId).to.equal(msg.messageId);
      expect(result.accepted).to.deep.equal(["thao.ntp@vnua.edu.vn", "hung.dv@lienhiephoi-hagiang.vn"]);
      expect(result.rejected).to.deep.equal([]);
      expect(received).to.have.length(1);
      expect(received[0].from).to.equal("tvpb@lienhiephoi-hagiang.vn");
      expect(received[0].to).to.deep.equal(["thao.ntp@vnua.edu.vn", "hung.dv@lienhiephoi-hagiang.vn"]);
      // Headers on the wire are 7-bit: RFC 2047 encoded words, no raw UTF-8.
      const head = received[0].raw.subarray(0, received[0].raw.indexOf("\r\n\r\n")).toString("latin1");
      expect(head).to.not.match(/[^\x00-\x7f]/);
      expectFaithful(await simpleParser(received[0].raw), msg);
    });

    it("keeps the same Message-ID when a message is sent again", async () => {
      const msg = message({ attachments: [] });
      await mailer.send(msg);
      await mailer.send(msg);
      const ids = await Promise.all(received.map(async (r) => (await simpleParser(r.raw)).messageId));
      expect(ids).to.deep.equal([msg.messageId, msg.messageId]);
    });

    it("reports a recipient the server refused while others accepted it", async () => {
      const result = await mailer.send(
        message({ cc: [{ name: "Người không tồn tại", address: "khongtontai@lienhiephoi-hagiang.vn" }] }),
      );
      expect(result.accepted).to.deep.equal(["thao.ntp@vnua.edu.vn"]);
      expect(result.rejected).to.deep.equal(["khongtontai@lienhiephoi-hagiang.vn"]);
    });

    it("classifies a 550 on RCPT TO as permanent mail_rejected", async () => {
      const err = await expectEffectError(
        mailer.send(message({ to: [{ name: "Trần Văn Bình", address: "khongtontai@vnua.edu.vn" }], cc: [] })),
      );
      expect(err.permanent).to.equal(true);
      expect(err.code).to.equal("mail_rejected");
    });

    it("classifies a 550 after DATA as permanent mail_rejected", async () => {
      const err = await expectEffectError(mailer.send(message({ headers: { "X-Test-Refuse": "yes" } })));
      expect(err.permanent).to.equal(true);
      expect(err.code).to.equal("mail_rejected");
    });

    it("classifies a 4xx as retryable mail_unavailable", async () => {
      const err = await expectEffectError(
        mailer.send(message({ to: [{ name: "Lê Thu Hà", address: "hopthuday@vnua.edu.vn" }], cc: [] })),
      );
      expect(err.permanent).to.equal(false);
      expect(err.code).to.equal("mail_unavailable");
    });

    it("refuses an invalid address before talking to the server, as permanent", async () => {
      const err = await expectEffectError(
        mailer.send(message({ to: [{ name: "Sai địa chỉ", address: "thao.ntp@@vnua" }] })),
      );
      expect(err.permanent).to.equal(true);
      expect(err.code).to.equal("mail_rejected");
      expect(received).to.have.length(0);
    });

    it("classifies a refused connection (closed port) as retryable mail_unavailable", async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const down = createMailer({
        smtpUrl: `smtp://127.0.0.1:${closedPort}?ignoreTLS=true&connectionTimeout=2000`,
        outboxDir: "/nonexistent",
        journal: createAcceptanceJournal(memoryAcceptanceStore()),
      });
      try {
        const err = await expectEffectError(down.send(message()));
        expect(err.permanent).to.equal(false);
        expect(err.code).to.equal("mail_unavailable");
      } finally {
        await down.close();
      }
    });
  });

  describe("to files (no SMTP)", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "tvpb-outbox-"));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("writes one .eml under the Vietnam date that parses back faithfully", async () => {
      // 18:30Z on 5 January is already 6 January in Vietnam.
      const mailer = createMailer({ outboxDir: dir, now: () => new Date("2026-01-05T18:30:00Z") });
      const msg = message();
      const result = await mailer.send(msg);
      expect(mailer.mode).to.equal("files");
      expect(await readdir(dir)).to.deep.equal(["2026-01-06"]);
      const files = await readdir(path.join(dir, "2026-01-06"));
      expect(files).to.have.length(1);
      expect(files[0]).to.match(/\.eml$/);
      expect(result.file).to.equal(path.join(dir, "2026-01-06", files[0]));
      expect(result.accepted).to.deep.equal(["thao.ntp@vnua.edu.vn", "hung.dv@lienhiephoi-hagiang.vn"]);
      const raw = await readFile(result.file!);
      expect(raw.includes("\r\n")).to.equal(true);
      expectFaithful(await simpleParser(raw), msg);
      await mailer.close();
    });

    it("writes each attachment's part byte for byte as Nodemailer's own composer does", async () => {
      // The mailer hands Nodemailer the finished part (its own base64 encoder cost more than the rest of a message).
      const mailer = createMailer({ outboxDir: dir, now: () => new Date("2026-01-06T02:00:00Z") });
      const ascii = {
        filename: "Bao-cao-ket-qua-7-2026.pdf",
        content: pdf.subarray(0, 57 * 40),
        contentType: "application/pdf",
      };
      const odd = {
        filename: "Cong-van-8-2026.pdf",
        content: Buffer.concat([pdf, Buffer.from("x")]),
        contentType: "application/pdf",
      };
      const empty = { filename: "Rong.pdf", content: Buffer.alloc(0), contentType: "application/pdf" };
      const msg = message({ attachments: [...message().attachments!, ascii, odd, empty] });
      const ours = (await readFile((await mailer.send(msg)).file!)).toString("latin1");
      const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
      const theirs = (await builder.sendMail({ ...msg, attachments: msg.attachments })).message as Buffer;
      // Each part from its Content-Type to the next boundary; boundaries are random per message.
      const parts = (eml: string) =>
        eml.split(/\r\n--[^\r\n]+/).filter((p) => /^\r\nContent-Type: application\/pdf/.test(p));
      expect(parts(ours)).to.have.length(4);
      expect(parts(ours)).to.deep.equal(parts(theirs.toString("latin1")));
      await mailer.close();
    });

    it("writes the same Message-ID only once, even when retried the next day or concurrently", async () => {
      let now = new Date("2026-01-06T02:00:00Z");
      const mailer = createMailer({ outboxDir: dir, now: () => now });
      const msg = message();
      const first = await mailer.send(msg);
      now = new Date("2026-01-07T02:00:00Z");
      const again = await mailer.send(msg);
      expect(again.file).to.equal(first.file);
      const other = message({ messageId: messageIdFor("invitation:inv_01J9ZK4:v1", "lienhiephoi-hagiang.vn") });
      await Promise.all([mailer.send(other), mailer.send(other)]);
      const all = (
        await Promise.all(
          (await readdir(dir)).map(async (d) => (await readdir(path.join(dir, d))).map((f) => `${d}/${f}`)),
        )
      ).flat();
      expect(all).to.have.length(2);
      expect(all.filter((f) => f.includes(".tmp"))).to.deep.equal([]);
      await mailer.close();
    });
  });
});
