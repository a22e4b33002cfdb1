"use client";

import { useMemo, useState, type ReactNode } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronDown, ChevronRight } from "lucide-react";
import {
  columnGroupingFeature,
  createColumnHelper,
  createGroupedRowModel,
  createSortedRowModel,
  rowSelectionFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { cn } from "./cn";

/** Per-column presentation: `className` for the cells, `headerClassName` for the header cell. */
export type DataTableColumnMeta = { className?: string; headerClassName?: string };

/** The feature set every DataTable uses (sorting, selection, grouping; all client-side on the loaded page). */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowSelectionFeature,
  columnGroupingFeature,
  sortedRowModel: createSortedRowModel(),
  groupedRowModel: createGroupedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, datetime: sortFn_datetime, basic: sortFn_basic },
  columnMeta: {} as DataTableColumnMeta,
});
export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableColumn<T extends RowData> = ColumnDef<DataTableFeatures, T, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tanstack's own column-array idiom

/**
 * Column helper bound to the DataTable features:
 * `const h = dataTableColumns<Row>(); const columns = h.columns([h.accessor("name", { header: "Name" }), ...])`.
 * Define columns at module scope (or memoize them): a new array every render rebuilds the table.
 */
export function dataTableColumns<T extends RowData>() {
  return createColumnHelper<DataTableFeatures, T>();
}

const GROUP = "__group";

export type DataTableSelection<T extends RowData> = {
  /** Selected row ids (controlled). */
  selected: string[];
  onChange: (ids: string[]) => void;
  /** Rows that may not be selected get no checkbox. Default: all. */
  canSelect?: (row: T) => boolean;
  /** Accessible name of a row's checkbox, e.g. `Select Alex Johnson's request for Groups Administrator`. */
  rowLabel: (row: T) => string;
};

type Props<T extends RowData> = {
  data: T[];
  columns: DataTableColumn<T>[];
  getRowId: (row: T) => string;
  /** Accessible name of the table (rendered as a visually hidden caption). */
  caption: string;
  /** Groups rows under header rows (e.g. by role name), in the order of first appearance; groups collapse. */
  groupBy?: (row: T) => string;
  /** Checkbox column with a "select all" header. */
  selection?: DataTableSelection<T>;
  /** Initial client-side sort of the loaded rows (e.g. `[{ id: "end", desc: false }]`). */
  initialSorting?: SortingState;
  /** What to show when there are no rows (use <EmptyState/>). */
  empty?: ReactNode;
  /** data-testid per row (e.g. `active-User Administrator`). */
  rowTestId?: (row: T) => string;
  /** Sets data-row-id on each row (for tests and scripts). */
  rowIdAttribute?: boolean;
  className?: string;
};

/**
 * The blade's list: @tanstack/react-table v9 underneath, semantic <table> markup on top. Sortable headers
 * are buttons with aria-sort on the <th>; selection checkboxes have names; group header rows are buttons
 * that collapse their group (aria-expanded). Sorting and grouping act on the loaded rows only; paging is
 * the server's (keyset): render <TableFooter/> below.
 */
export function DataTable<T extends RowData>({
  data,
  columns,
  getRowId,
  caption,
  groupBy,
  selection,
  initialSorting,
  empty,
  rowTestId,
  rowIdAttribute,
  className,
}: Props<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting ?? []);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const allColumns = useMemo<DataTableColumn<T>[]>(
    () =>
      groupBy
        ? [...columns, { id: GROUP, accessorFn: (r: T) => groupBy(r), header: "Group", enableSorting: false }]
        : columns,
    [columns, groupBy],
  );
  const rowSelection = useMemo<RowSelectionState>(
    () => Object.fromEntries((selection?.selected ?? []).map((id) => [id, true])),
    [selection?.selected],
  );
  const grouping = useMemo(() => (groupBy ? [GROUP] : []), [groupBy]);
  const table = useTable({
    features: dataTableFeatures,
    columns: allColumns,
    data,
    getRowId: (r: T) => getRowId(r),
    state: { sorting, rowSelection, grouping },
    onSortingChange: setSorting,
    onRowSelectionChange: (updater) => {
      if (!selection) return;
      const next = typeof updater === "function" ? updater(rowSelection) : updater;
      selection.onChange(Object.keys(next).filter((k) => next[k]));
    },
    onGroupingChange: () => {},
    enableRowSelection: (row) => (selection ? (selection.canSelect?.(row.original) ?? true) : false),
    enableSubRowSelection: false,
    groupedColumnMode: false,
  });

  const visibleColumns = table.getAllLeafColumns().filter((c) => c.id !== GROUP);
  const colCount = visibleColumns.length + (selection ? 1 : 0);
  const selectable = selection ? data.filter((r) => selection.canSelect?.(r) ?? true) : [];
  const allSelected = selectable.length > 0 && selectable.every((r) => rowSelection[getRowId(r)]);
  const someSelected = !allSelected && selectable.some((r) => rowSelection[getRowId(r)]);

  const leafRow = (row: ReturnType<typeof table.getRowModel>["rows"][number]) => (
    <tr
      key={row.id}
      data-testid={rowTestId?.(row.original)}
      data-row-id={rowIdAttribute ? row.id : undefined}
      aria-selected={selection ? row.getIsSelected() : undefined}
      className={cn("border-b border-neutral-200 hover:bg-neutral-50", row.getIsSelected() && "bg-[#eff6fc]")}
    >
      {selection && (
        <td className="w-8 px-2 py-2 align-top">
          {row.getCanSelect() && (
            <input
              type="checkbox"
              aria-label={selection.rowLabel(row.original)}
              checked={row.getIsSelected()}
              onChange={row.getToggleSelectedHandler()}
              className="mt-0.5 size-4 accent-[#0078d4]"
            />
          )}
        </td>
      )}
      {row
        .getAllCells()
        .filter((c) => c.column.id !== GROUP)
        .map((cell) => (
          <td key={cell.id} className={cn("px-2 py-2 align-top", cell.column.columnDef.meta?.className)}>
            <table.FlexRender cell={cell} />
          </td>
        ))}
    </tr>
  );

  return (
    <div className={cn("overflow-x-auto", className)}>
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} className="border-b border-neutral-300">
              {selection && (
                <th scope="col" className="w-8 px-2 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all rows"
                    checked={allSelected}
                    ref={(el) => {
                      if (el) el.indeterminate = someSelected;
                    }}
                    disabled={selectable.length === 0}
                    onChange={(e) => selection.onChange(e.target.checked ? selectable.map(getRowId) : [])}
                    className="size-4 accent-[#0078d4]"
                  />
                </th>
              )}
              {hg.headers
                .filter((h) => h.column.id !== GROUP)
                .map((h) => {
                  const sorted = h.column.getIsSorted();
                  const canSort = h.column.getCanSort();
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      aria-sort={
                        sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : canSort ? "none" : undefined
                      }
                      className={cn(
                        "px-2 py-2 font-semibold whitespace-nowrap text-neutral-800",
                        h.column.columnDef.meta?.headerClassName,
                      )}
                    >
                      {h.isPlaceholder ? null : canSort ? (
                        <button
                          type="button"
                          onClick={h.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded-sm hover:text-[#0078d4] focus-visible:outline-2 focus-visible:outline-[#0078d4]"
                        >
                          <table.FlexRender header={h} />
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden className="size-3.5" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden className="size-3.5" />
                          ) : (
                            <ArrowUpDown aria-hidden className="size-3.5 text-neutral-500" />
                          )}
                        </button>
                      ) : (
                        <table.FlexRender header={h} />
                      )}
                    </th>
                  );
                })}
            </tr>
          ))}
        </thead>
        {data.length === 0 ? (
          <tbody>
            <tr>
              <td colSpan={colCount} className="px-2 py-8">
                {empty ?? <p className="text-center text-neutral-700">No results.</p>}
              </td>
            </tr>
          </tbody>
        ) : groupBy ? (
          table.getRowModel().rows.map((g) => {
            const name = String(g.getGroupingValue(GROUP) ?? "");
            const open = !collapsed.has(name);
            return (
              <tbody key={g.id}>
                <tr className="border-b border-neutral-200 bg-neutral-50">
                  <th scope="rowgroup" colSpan={colCount} className="px-2 py-1.5 text-left font-semibold">
                    <button
                      type="button"
                      aria-expanded={open}
                      onClick={() =>
                        setCollapsed((s) => {
                          const n = new Set(s);
                          if (open) n.add(name);
                          else n.delete(name);
                          return n;
                        })
                      }
                      className="inline-flex items-center gap-1 rounded-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]"
                    >
                      {open ? (
                        <ChevronDown aria-hidden className="size-4" />
                      ) : (
                        <ChevronRight aria-hidden className="size-4" />
                      )}
                      {name} <span className="font-normal text-neutral-600">({g.subRows.length})</span>
                    </button>
                  </th>
                </tr>
                {open && g.subRows.map(leafRow)}
              </tbody>
            );
          })
        ) : (
          <tbody>{table.getRowModel().rows.map(leafRow)}</tbody>
        )}
      </table>
    </div>
  );
}
