import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { scheduleRequests as r } from "@/db/schema";
import { isGraphError } from "@/lib/api/errors";
import { compileFilter, type FieldMap } from "@/lib/api/odata/compile";
import { parseFilter } from "@/lib/api/odata/filter";
import { decodeSkipToken, encodeSkipToken, parseCollectionQuery } from "@/lib/api/odata/query";

const fields: FieldMap = {
  principalId: { column: r.principalId, type: "guid" },
  status: { column: r.status, type: "enum", values: ["PendingApproval", "Provisioned", "Denied"] },
  directoryScopeId: { column: r.directoryScopeId, type: "string" },
  createdDateTime: { column: r.createdDateTime, type: "datetime" },
  targetScheduleId: { column: r.targetScheduleId, type: "guid", nullable: true },
};
const dialect = new PgDialect();
const compile = (f: string) => dialect.sqlToQuery(compileFilter(parseFilter(f), fields));
const G = "6c1d7c6e-3b7e-4c55-9c2a-2f1b0c7d9e11";

function expect400(fn: () => unknown, code?: string) {
  try {
    fn();
  } catch (e) {
    expect(isGraphError(e)).toBe(true);
    if (isGraphError(e)) {
      expect(e.status).toBe(400);
      if (code) expect(e.code).toBe(code);
    }
    return;
  }
  throw new Error("expected a GraphError 400");
}

describe("$filter parser and compiler", () => {
  it("compiles eq/ne/and/or/in into parameterised SQL", () => {
    const q = compile(
      `principalId eq '${G}' and (status eq 'PendingApproval' or status in ('Provisioned','Denied')) and directoryScopeId ne '/'`,
    );
    expect(q.sql).toContain('"principal_id" = $1');
    expect(q.sql).toContain(" or ");
    expect(q.sql).toContain(" in (");
    expect(q.params).toEqual([G, "PendingApproval", "Provisioned", "Denied", "/"]);
    expect(q.sql).not.toContain("PendingApproval");
  });

  it("accepts unquoted GUIDs, escaped quotes, date-time ranges and null on nullable fields", () => {
    expect(compile(`principalId eq ${G.toUpperCase()}`).params).toEqual([G]);
    expect(compile(`directoryScopeId eq 'O''Brien'`).params).toEqual(["O'Brien"]);
    const range = compile("createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime lt 2026-12-01T00:00:00Z");
    expect(range.sql).toContain(">=");
    expect(range.params).toHaveLength(2);
    expect(compile("targetScheduleId eq null").sql).toContain("is null");
    expect(compile("targetScheduleId ne null").sql).toContain("is not null");
  });

  it("never splices a value into SQL (injection attempts stay parameters)", () => {
    const q = compile(`directoryScopeId eq '/'' or 1=1 --'`);
    expect(q.params).toEqual(["/' or 1=1 --"]);
    expect(q.sql).not.toContain("1=1");
  });

  it.each([
    ["", "BadRequest"],
    ["principalId", "BadRequest"],
    ["principalId eq", "BadRequest"],
    [`principalId eq '${G}`, "BadRequest"],
    [`(principalId eq '${G}'`, "BadRequest"],
    [`principalId eq '${G}')`, "BadRequest"],
    ["principalId eq 'not-a-guid'", "BadRequest"],
    ["status eq 'Bogus'", "BadRequest"],
    ["status eq 3", "BadRequest"],
    ["createdDateTime eq 'yesterday'", "BadRequest"],
    ["unknownField eq 'x'", "Request_UnsupportedQuery"],
    ["contains(directoryScopeId,'/')", "Request_UnsupportedQuery"],
    ["startswith(createdDateTime,'2026')", "Request_UnsupportedQuery"],
    ["startswith(directoryScopeId)", "BadRequest"],
    ["startswith(directoryScopeId,'/') eq true", "Request_UnsupportedQuery"],
    ["not (status eq 'Denied')", "Request_UnsupportedQuery"],
    ["status gt 'Denied'", "Request_UnsupportedQuery"],
    ["status eq null", "Request_UnsupportedQuery"],
    ["status has 'x'", "Request_UnsupportedQuery"],
    ["status in ()", "BadRequest"],
    ["status in ('Denied', null)", "Request_UnsupportedQuery"],
    ["createdDateTime in (2026-01-01T00:00:00Z)", "Request_UnsupportedQuery"],
    ["principalId eq 'a' ; drop table users", "BadRequest"],
    ["constructor eq 'x'", "Request_UnsupportedQuery"],
    ["__proto__ eq 'x'", "Request_UnsupportedQuery"],
  ])("refuses %j with a Graph 400 (%s)", (f, code) => {
    expect400(() => compile(f), code);
  });

  it("refuses filters that are too long or have too many terms", () => {
    expect400(() => compile(`directoryScopeId eq '${"x".repeat(2100)}'`));
    const many = Array.from({ length: 60 }, () => "directoryScopeId eq '/'").join(" or ");
    expect400(() => compile(many), "Request_UnsupportedQuery");
    const deep = `${"(".repeat(40)}directoryScopeId eq '/'${")".repeat(40)}`;
    expect(compile(deep).params).toEqual(["/"]);
  });
});

describe("what scripts send", () => {
  const ciFields: FieldMap = {
    ...fields,
    upn: { column: r.justification, type: "string", ci: true },
  };
  const ci = (f: string) => dialect.sqlToQuery(compileFilter(parseFilter(f), ciFields));

  it("startswith / endswith compile to a case-insensitive LIKE with the wildcards of the value escaped", () => {
    const q = compile("startswith(directoryScopeId,'/administrativeUnits/5_%')");
    expect(q.sql).toContain("lower(");
    expect(q.sql).toContain(" like ");
    expect(q.params).toEqual(["/administrativeunits/5\\_\\%%"]);
    expect(compile("endswith(directoryScopeId,'X')").params).toEqual(["%x"]);
  });

  it("enum values match in any casing and compile to Graph's spelling; ci fields compare lower-cased", () => {
    expect(compile("status eq 'provisioned'").params).toEqual(["Provisioned"]);
    const q = ci("upn eq 'OLIVIA.BROWN@contoso.com'");
    expect(q.sql).toContain("lower(");
    expect(q.params).toEqual(["OLIVIA.BROWN@contoso.com"]);
  });
});

describe("query options", () => {
  const spec = { fields, selectable: ["id", "status", "principalId"], expandable: ["principal", "roleDefinition"] };
  const url = (qs: string) => new URL(`https://pim.test/graph/v1.0/x?${qs}`);

  it("parses $top, $select, $expand, $count and a $skiptoken made for the same filter", () => {
    const q = parseCollectionQuery(
      url("$top=5&$select=status&$expand=principal&$count=true&$filter=status eq 'Denied'"),
      spec,
    );
    expect(q.top).toBe(5);
    expect(q.select).toEqual(["status"]);
    expect([...q.expand]).toEqual(["principal"]);
    expect(q.count).toBe(true);
    const token = encodeSkipToken(["2026-11-22T09:00:00Z", G], q.fingerprint);
    const again = parseCollectionQuery(url(`$filter=status eq 'Denied'&$skiptoken=${token}`), spec);
    expect(again.after).toEqual(["2026-11-22T09:00:00Z", G]);
    expect(parseCollectionQuery(url("$top=5000"), spec).top).toBe(999);
  });

  it.each([
    "$top=0",
    "$top=-1",
    "$top=abc",
    "$top=1.5",
    "$select=nope",
    "$select=",
    "$expand=nope",
    "$expand=principal($select=id)",
    "$count=yes",
    "$orderby=status",
    "$skip=10",
    "$search=x",
    "$foo=1",
    "$skiptoken=garbage!",
    "$skiptoken=eyJrIjpbMV0sImYiOiJ4In0",
    "$top=1&$top=2",
  ])("refuses %s with a Graph 400", (qs) => {
    expect400(() => parseCollectionQuery(url(qs), spec));
  });

  it("trims option names ('$filter = …' as in Microsoft's examples) and matches them case-insensitively", () => {
    const q = parseCollectionQuery(
      new URL("https://pim.test/graph/v1.0/x?$filter%20=%20status%20eq%20'Denied'&$TOP=3"),
      spec,
    );
    expect(q.filterText).toBe("status eq 'Denied'");
    expect(q.top).toBe(3);
  });

  it("parses nested $expand with $select and $expand inside, and writes Graph's context suffix", () => {
    const nested = {
      ...spec,
      expandSpecs: {
        principal: { selectable: ["id", "displayName"] },
        roleDefinition: { expand: { rules: { selectable: "any" as const } } },
      },
    };
    const q = parseCollectionQuery(
      url("$expand=principal($select=id,displayName),roleDefinition($expand=rules)"),
      nested,
    );
    expect(q.expandTree.get("principal")?.select).toEqual(["id", "displayName"]);
    expect([...(q.expandTree.get("roleDefinition")?.expand.keys() ?? [])]).toEqual(["rules"]);
    expect(q.contextSuffix).toBe("(principal(id,displayName),roleDefinition(rules()))");
    expect400(() => parseCollectionQuery(url("$expand=principal($select=mail)"), nested));
    expect400(
      () => parseCollectionQuery(url("$expand=principal($filter=id eq 'x')"), nested),
      "Request_UnsupportedQuery",
    );
    expect400(() => parseCollectionQuery(url("$expand=principal($select=id"), nested));
  });

  it("$orderby takes one orderable property with asc/desc; $search needs ConsistencyLevel: eventual", () => {
    const ordered = {
      ...spec,
      orderable: { createdDateTime: { column: r.createdDateTime, type: "timestamptz" as const } },
      searchable: { justification: r.justification },
    };
    expect(parseCollectionQuery(url("$orderby=createdDateTime desc"), ordered).orderBy).toEqual({
      field: "createdDateTime",
      desc: true,
    });
    expect400(() => parseCollectionQuery(url("$orderby=status"), ordered), "Request_UnsupportedQuery");
    expect400(() => parseCollectionQuery(url("$orderby=createdDateTime,status"), ordered), "Request_UnsupportedQuery");
    expect400(() => parseCollectionQuery(url('$search="justification:ops"'), ordered));
    const h = new Headers({ ConsistencyLevel: "eventual" });
    const q = parseCollectionQuery(url('$search="justification:ops"'), ordered, h);
    expect(dialect.sqlToQuery(q.search as never).params).toEqual(["ops%", "% ops%"]);
    expect400(() => parseCollectionQuery(url("$search=ops"), ordered, h));
  });

  it("a $skiptoken is bound to its filter", () => {
    const a = parseCollectionQuery(url("$filter=status eq 'Denied'"), spec);
    const token = encodeSkipToken(["2026-11-22T09:00:00Z", G], a.fingerprint);
    expect400(() => parseCollectionQuery(url(`$filter=status eq 'Provisioned'&$skiptoken=${token}`), spec));
    expect(() => decodeSkipToken(token, a.fingerprint)).not.toThrow();
  });
});
