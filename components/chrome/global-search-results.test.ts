import { describe, expect, it } from "vitest";
import { buildResults, type PageEntry, type SearchPayload } from "./global-search-results";

const pages: PageEntry[] = [
  { href: "/my-roles", label: "My roles" },
  { href: "/roles", label: "Roles" },
  { href: "/activity", label: "Activity", keywords: "audit log history" },
  { href: "/quick-start", label: "Quick start" },
];
const payload = (reader: boolean): SearchPayload => ({
  reader,
  roles: [{ id: "r1", name: "Security Reader", detail: null }],
  people: [{ id: "u1", name: "Emma Smith", detail: "emma.smith@example.com" }],
  groups: reader ? [{ id: "g1", name: "Helpdesk Tier 2", detail: null }] : [],
});

describe("global search results", () => {
  it("nothing for an empty box", () => {
    expect(buildResults("  ", pages, payload(true))).toEqual([]);
  });

  it("finds pages by name, whole name first, then a word, then anywhere, then keywords", () => {
    const [p] = buildResults("ro", pages, null);
    expect(p?.items.map((i) => i.label)).toEqual(["Roles", "My roles"]);
    expect(buildResults("audit", pages, null)[0]?.items.map((i) => i.href)).toEqual(["/activity"]);
    expect(buildResults("xyz", pages, null)[0]?.items).toEqual([]);
  });

  it("sends readers from a role to its assignments and others to the Roles list; people to Users", () => {
    const reader = buildResults("s", pages, payload(true));
    expect(reader.find((s) => s.key === "roles")?.items[0]?.href).toBe("/roles/r1/assignments");
    expect(reader.find((s) => s.key === "groups")?.items[0]?.href).toBe("/assignments?q=Helpdesk%20Tier%202");
    const other = buildResults("s", pages, payload(false));
    expect(other.find((s) => s.key === "roles")?.items[0]?.href).toBe("/roles?q=Security%20Reader");
    expect(other.find((s) => s.key === "people")?.items[0]?.href).toBe("/users?q=emma.smith%40example.com");
    expect(other.find((s) => s.key === "groups")?.items).toEqual([]);
  });
});
