"use client";

import Link from "@/components/ui/link";
import { Filter } from "lucide-react";
import { Button, buttonClass } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, type ActivityFilters } from "./filters";

type Props = {
  filters: ActivityFilters;
  roles: { id: string; displayName: string }[];
  actions: string[];
};

/**
 * The filters travel in the URL (a GET form): a filtered view is a link that can be shared, reloaded and
 * exported. Applying filters starts again at the first page.
 */
export function ActivityFiltersForm({ filters: f, roles, actions }: Props) {
  const size = f.size ?? DEFAULT_PAGE_SIZE;
  const sizes = PAGE_SIZES.includes(size) ? PAGE_SIZES : [...PAGE_SIZES, size].sort((a, b) => a - b);
  return (
    <form
      action="/activity"
      aria-label="Filter activity"
      className="mb-4 rounded-sm border border-neutral-200 bg-neutral-50 px-4 pt-3"
    >
      <input type="hidden" name="view" value={f.view} />
      <div className="grid grid-cols-2 gap-x-3 md:grid-cols-4 xl:grid-cols-8">
        <Field label="From" className="mb-3">
          {(c) => <TextInput {...c} name="from" type="date" defaultValue={f.from} />}
        </Field>
        <Field label="To" className="mb-3">
          {(c) => <TextInput {...c} name="to" type="date" defaultValue={f.to} />}
        </Field>
        <Field label="Actor" className="mb-3">
          {(c) => <TextInput {...c} name="actor" type="search" defaultValue={f.actor} placeholder="Name" />}
        </Field>
        <Field label="Target" className="mb-3">
          {(c) => <TextInput {...c} name="target" type="search" defaultValue={f.target} placeholder="Name" />}
        </Field>
        <Field label="Role" className="mb-3">
          {(c) => (
            <Select {...c} name="role" defaultValue={f.role ?? ""}>
              <option value="">All roles</option>
              {roles.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.displayName}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Activity" className="mb-3">
          {(c) => (
            <Select {...c} name="action" defaultValue={f.action ?? ""}>
              <option value="">All activities</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Result" className="mb-3">
          {(c) => (
            <Select {...c} name="result" defaultValue={f.result ?? ""}>
              <option value="">Any result</option>
              <option value="success">Success</option>
              <option value="failure">Failure</option>
            </Select>
          )}
        </Field>
        <Field label="Rows per page" className="mb-3">
          {(c) => (
            <Select {...c} name="size" defaultValue={String(size)}>
              {sizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="mb-3 flex gap-2">
        <Button type="submit" variant="primary">
          <Filter aria-hidden className="size-4" /> Apply filters
        </Button>
        <Link href={`/activity?view=${f.view}`} className={buttonClass("secondary")}>
          Clear filters
        </Link>
      </div>
    </form>
  );
}
