import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { DataTable, dataTableColumns } from "./data-table";

type Row = { id: string; role: string; name: string };
const h = dataTableColumns<Row>();
const columns = h.columns([
  h.accessor("name", { header: "Name" }),
  h.accessor("role", { header: "Role", enableSorting: false }),
]);
const rows: Row[] = [
  { id: "1", role: "User Administrator", name: "Sophia" },
  { id: "2", role: "Groups Administrator", name: "Alex" },
  { id: "3", role: "User Administrator", name: "Alex" },
];

describe("DataTable", () => {
  it("groups rows under a header per role, in order of first appearance, with counts", () => {
    const html = renderToStaticMarkup(
      <DataTable data={rows} columns={columns} getRowId={(r) => r.id} caption="People" groupBy={(r) => r.role} />,
    );
    const ua = html.indexOf("User Administrator <span");
    const ga = html.indexOf("Groups Administrator <span");
    expect(ua).toBeGreaterThan(-1);
    expect(ga).toBeGreaterThan(ua);
    expect(html).toContain('aria-expanded="true"');
    expect(html.match(/<tr class="border-b border-neutral-200 hover:bg-neutral-50/g)?.length).toBe(3);
    expect(html).toContain("(2)");
    expect(html.match(/<tbody>/g)?.length).toBe(2);
    expect(html).toContain('<caption class="sr-only">People</caption>');
  });

  it("marks sortable headers and sorts the loaded rows", () => {
    const html = renderToStaticMarkup(
      <DataTable
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        caption="People"
        initialSorting={[{ id: "name", desc: false }]}
      />,
    );
    expect(html).toContain('aria-sort="ascending"');
    expect(html.indexOf(">Alex<")).toBeLessThan(html.indexOf(">Sophia<"));
    expect(html).not.toMatch(/<th[^>]*aria-sort[^>]*>Role/);
  });

  it("renders named checkboxes for selectable rows only, and the empty state", () => {
    const html = renderToStaticMarkup(
      <DataTable
        data={rows}
        columns={columns}
        getRowId={(r) => r.id}
        caption="People"
        selection={{
          selected: ["1"],
          onChange: () => {},
          canSelect: (r) => r.name !== "Alex" || r.id === "3",
          rowLabel: (r) => `Select ${r.name} (${r.role})`,
        }}
      />,
    );
    expect(html).toContain('aria-label="Select Sophia (User Administrator)"');
    expect(html).toContain('aria-label="Select Alex (User Administrator)"');
    expect(html).not.toContain('aria-label="Select Alex (Groups Administrator)"');
    expect(html).toMatch(/aria-label="Select Sophia \(User Administrator\)"[^>]*checked=""/);
    expect(html).not.toMatch(/aria-label="Select Alex \(User Administrator\)"[^>]*checked=""/);
    const empty = renderToStaticMarkup(
      <DataTable data={[]} columns={columns} getRowId={(r) => r.id} caption="People" empty={<p>Nothing here</p>} />,
    );
    expect(empty).toContain("Nothing here");
  });
});
