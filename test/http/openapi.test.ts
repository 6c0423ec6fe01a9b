import { expect } from "chai";
import { Validator } from "@seriousme/openapi-schema-validator";
import { buildOpenApi } from "../../server/http/openapi.js";
import { eventJsonSchema, PEOPLE_EVENT_TYPES } from "../../server/commands/events/index.js";

type Operation = { operationId?: string; summary?: string };
const METHODS = ["get", "put", "post", "delete", "patch"];

function operations(doc: { paths: object }): Array<[string, Operation]> {
  return Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
}

/** Every schema object with an `enum`, wherever it sits in the document. */
function enums(node: unknown, at = "#"): Array<{ at: string; schema: Record<string, unknown> }> {
  if (!node || typeof node !== "object") return [];
  const here = Array.isArray((node as { enum?: unknown }).enum)
    ? [{ at, schema: node as Record<string, unknown> }]
    : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => enums(v, `${at}/${k}`))];
}

describe("the OpenAPI document", () => {
  // Read loosely: the tests walk the JSON as a client would.
  const doc: any = buildOpenApi("http://tvpb.test");

  it("is a valid OpenAPI 3.1 document (checked against the specification's JSON schema, offline)", async () => {
    const validator = new Validator();
    const res = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(res.errors ?? [], JSON.stringify(res.errors, null, 1)).to.deep.equal([]);
    expect(res.valid).to.equal(true);
    expect(validator.version).to.equal("3.1");
    // The validator does refuse a broken document (an operation's answer without its description).
    const broken = JSON.parse(JSON.stringify(doc));
    delete broken.paths["/me"].get.responses["200"].description;
    expect((await new Validator().validate(broken)).valid).to.equal(false);
  });

  it("is the same document every time it is built (nothing shared is written into)", () => {
    expect(buildOpenApi("http://tvpb.test")).to.deep.equal(doc);
    expect(JSON.stringify(eventJsonSchema("delivery.recorded"))).to.not.contain("x-enum-descriptions");
  });

  it("gives every operation a unique operationId, as client generators need", () => {
    const ops = operations(doc);
    expect(ops.length).to.be.at.least(40);
    const missing = ops.filter(([, op]) => !op.operationId).map(([name]) => name);
    expect(missing, "operations without an operationId").to.deep.equal([]);
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size, `duplicated: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`).to.equal(ids.length);
    for (const id of ids) expect(id).to.match(/^[a-z][A-Za-z]+$/);
  });

  it("describes each event people send from its declaration: schema, words, roles", () => {
    const body = doc.paths["/assignments/{id}/events"].post.requestBody.content["application/json"].schema;
    expect(body.oneOf.map((s: { title: string }) => s.title)).to.deep.equal(PEOPLE_EVENT_TYPES);
    const register = body.oneOf.find((s: { title: string }) => s.title === "order.register");
    expect(register.properties.type.const).to.equal("order.register");
    expect(register.description).to.contain("Vào sổ công văn đến").and.contain("Văn thư");
    const plan = body.oneOf.find((s: { title: string }) => s.title === "plan.submit");
    expect(plan.description).to.contain("dự toán kinh phí");
  });

  it("documents every enum of codes with its Vietnamese labels, and the old slugs as deprecated", () => {
    const all = enums(doc);
    const undocumented = all
      .filter(({ schema }) => !schema["x-enum-descriptions"] && !schema.deprecated)
      .map(({ schema }) => (schema.enum as string[]).join(","));
    // Not codes: the Prefer header's values, yes/no query flags and the signing-authority prefixes
    // (Vietnamese words printed as they are on documents).
    expect([...new Set(undocumented)].sort()).to.deep.equal([
      ",TM.,KT.,Q.,TL.,TUQ.",
      "return=minimal,return=representation",
      "true,false",
    ]);
    const order = doc.paths["/assignments"].post.requestBody.content["application/json"].schema;
    const [codes, legacy] = order.properties.subjectKind.anyOf;
    expect(codes.enum).to.include("plan");
    expect(codes["x-enum-descriptions"][codes.enum.indexOf("plan")]).to.equal("Kế hoạch");
    expect(legacy.deprecated).to.equal(true);
    expect(legacy.enum).to.include("ke_hoach");
  });
});
