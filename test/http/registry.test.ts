import { expect } from "chai";
import { createWorld } from "../support/testApp.js";

describe("registry through the API", () => {
  it("lets the admin change a user's roles and deactivate them, which ends their token's access", async () => {
    const w = await createWorld();
    const clerk = w.userFor("clerk");
    const up = await w.as("admin").patch(`/api/v1/users/${clerk.id}`, { roles: ["clerk", "secretariat"] });
    expect(up.status).to.equal(200);
    expect(up.body.data.roles).to.deep.equal(["clerk", "secretariat"]);
    expect((await w.as("clerk").get("/api/v1/me")).body.data.roles).to.include("secretariat");
    const off = await w.as("admin").patch(`/api/v1/users/${clerk.id}`, { active: false });
    expect(off.body.data.active).to.equal(false);
    expect((await w.as("clerk").get("/api/v1/me")).status).to.equal(401);
  });

  it("refuses a user edit from anyone but the admin, and an admin demoting themself", async () => {
    const w = await createWorld();
    const admin = w.userFor("admin");
    expect((await w.as("secretariat").patch(`/api/v1/users/${admin.id}`, { active: false })).status).to.equal(403);
    const self = await w.as("admin").patch(`/api/v1/users/${admin.id}`, { roles: ["clerk"] });
    expect(self.status).to.equal(409);
    expect(self.body.error.code).to.equal("cannot_demote_self");
  });

  it("adds agencies and member associations, sorted the Vietnamese way", async () => {
    const w = await createWorld();
    expect(
      (await w.as("secretariat").post("/api/v1/agencies", { name: "Ủy ban nhân dân xã Đồng Văn" })).status,
    ).to.equal(201);
    expect((await w.as("agency").post("/api/v1/agencies", { name: "Sở Y tế" })).status).to.equal(403);
    for (const name of [
      "Hội Đông y tỉnh",
      "Hội Bảo vệ thiên nhiên và môi trường tỉnh",
      "Hội Ánh sáng khoa học",
      "Hội Cựu giáo chức",
    ]) {
      expect((await w.as("admin").post("/api/v1/member-associations", { name })).status).to.equal(201);
    }
    const list = (await w.as("admin").get("/api/v1/member-associations")).body.data.map(
      (m: { name: string }) => m.name,
    );
    expect(list).to.deep.equal([
      "Hội Ánh sáng khoa học",
      "Hội Bảo vệ thiên nhiên và môi trường tỉnh",
      "Hội Cựu giáo chức",
      "Hội Đông y tỉnh",
    ]);
  });

  it("finds experts by name or field without diacritics, with their load and decline rate", async () => {
    const w = await createWorld();
    const res = await w.as("secretariat").get("/api/v1/experts?q=phuong thao");
    expect(res.status).to.equal(200);
    expect(res.body.data.map((e: { fullName: string }) => e.fullName)).to.deep.equal(["Nguyễn Thị Phương Thảo"]);
    const byField = await w.as("secretariat").get("/api/v1/experts?q=DUOC LIEU");
    expect(byField.body.data.length).to.equal(5);
    expect(byField.body.data[0]).to.include.keys("load", "declineRate");
    expect((await w.as("agency").get("/api/v1/experts")).status).to.equal(403);
  });
});

describe("organisation settings through the API", () => {
  it("lets the admin change timelines, the reminder policy and a year's holidays, and deadlines follow them", async () => {
    const w = await createWorld();
    const put = await w.as("admin").put("/api/v1/settings", {
      settings: {
        timeline: {
          screeningWorkingDays: 3,
          planningWorkingDays: 5,
          invitationWorkingDays: 3,
          reviewDays: 10,
          consolidationWorkingDays: 5,
          responseDays: 20,
        },
      },
      holidays: { year: 2026, days: [{ day: "2026-03-03", name: "Ngày nghỉ bù của tỉnh" }] },
    });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body.data.settings.timeline.screeningWorkingDays).to.equal(3);
    expect(put.body.data.settings.issuerAbbr).to.equal("LHH");
    const got = await w.as("secretariat").get("/api/v1/settings");
    expect(got.body.data.holidays).to.deep.equal([{ day: "2026-03-03", name: "Ngày nghỉ bù của tỉnh" }]);
    // Screening of 3 WD counted after Monday 02/03/2026 skips the holiday on Tuesday 03/03:
    // Wed 04 (1), Thu 05 (2), Fri 06 (3) — due Friday 06/03 at 17:00 Vietnam time (10:00 UTC).
    const order = await w.as("agency").post("/api/v1/assignments", {
      type: "critique",
      forms: ["council"],
      subjectKind: "scheme",
      title: "Đề án thử",
    });
    const reg = await w
      .as("clerk")
      .post(`/api/v1/assignments/${order.body.data.id}/events`, { type: "order.register" })
      .set("Prefer", "return=representation");
    expect(reg.body.data.deadlines.find((d: { key: string }) => d.key === "screening").dueAt).to.equal(
      "2026-03-06T10:00:00.000Z",
    );
  });

  it("refuses settings from a non-admin and a holiday outside its year", async () => {
    const w = await createWorld();
    expect((await w.as("secretariat").put("/api/v1/settings", { name: "Khác" })).status).to.equal(403);
    const bad = await w
      .as("admin")
      .put("/api/v1/settings", { holidays: { year: 2026, days: [{ day: "2027-01-01", name: "Tết Dương lịch" }] } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal("invalid_holiday");
  });
});
