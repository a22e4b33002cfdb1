import { describe, expect, it } from "vitest";
import { isActive, visibleMenu, type MenuEntry } from "./menu";

const entries: MenuEntry[] = [
  { href: "/overview", label: "Overview", section: "Quick start" },
  { href: "/my-roles", label: "My roles", section: "Tasks" },
  { href: "/roles", label: "Roles", section: "Manage", match: ["/role-settings"] },
  { href: "/assignments", label: "Assignments", section: "Manage", requires: "reader" },
  { href: "/settings", label: "Settings", section: "Manage", requires: "admin" },
  { href: "/groups", label: "Groups", section: "Manage", requires: "groupOwner" },
];

describe("left menu", () => {
  it("shows reader entries to readers and admins, admin entries to admins only, in section order", () => {
    const labels = (a: { admin: boolean; reader: boolean }) =>
      visibleMenu(a, entries).map((g) => [g.section, g.items.map((i) => i.label)]);
    expect(labels({ admin: false, reader: false })).toEqual([
      ["Quick start", ["Overview"]],
      ["Tasks", ["My roles"]],
      ["Manage", ["Roles"]],
    ]);
    expect(labels({ admin: false, reader: true })[2]).toEqual(["Manage", ["Roles", "Assignments", "Groups"]]);
    expect(labels({ admin: true, reader: false })[2]).toEqual([
      "Manage",
      ["Roles", "Assignments", "Settings", "Groups"],
    ]);
    // a group's owner without any PIM role sees Groups (and nothing else of Manage but Roles)
    expect(
      visibleMenu({ admin: false, reader: false, groupOwner: true }, entries).map((g) => g.items.map((i) => i.label)),
    ).toEqual([["Overview"], ["My roles"], ["Roles", "Groups"]]);
  });

  it("leaves out sections with no entry for this person", () => {
    const only = visibleMenu({ admin: false, reader: false }, [
      { href: "/x", label: "X", section: "Manage", requires: "admin" },
    ]);
    expect(only).toEqual([]);
  });

  it("marks the current page, its sub-pages and extra prefixes, not look-alike paths", () => {
    const roles = entries[2]!;
    expect(isActive(roles, "/roles")).toBe(true);
    expect(isActive(roles, "/roles/123/settings")).toBe(true);
    expect(isActive(roles, "/role-settings/1")).toBe(true);
    expect(isActive(roles, "/roles-archive")).toBe(false);
    expect(isActive(roles, "/my-roles")).toBe(false);
  });
});
