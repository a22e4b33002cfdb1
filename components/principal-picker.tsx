"use client";

import { useEffect, useId, useRef, useState } from "react";
import { X } from "lucide-react";
import type { PrincipalKind, PrincipalOption } from "@/lib/pim/queries/search-principals";

export type { PrincipalKind, PrincipalOption };

const typeWords: Record<PrincipalKind, string> = {
  User: "User",
  Group: "Group",
  ServicePrincipal: "Service principal",
};

type Props = {
  /** Visible label of the search box. */
  label: string;
  types: PrincipalKind[];
  value: PrincipalOption[];
  onChange: (next: PrincipalOption[]) => void;
  /** Server action that searches the directory. */
  search: (query: string, types: PrincipalKind[]) => Promise<PrincipalOption[]>;
  multiple?: boolean;
  error?: string;
  placeholder?: string;
  describedBy?: string;
};

/**
 * "Select members": a combobox (WAI-ARIA 1.2 pattern) that searches users, groups and service principals
 * as you type, with the picked ones shown as removable chips. Arrow keys move, Enter picks, Escape closes.
 */
export function PrincipalPicker({
  label,
  types,
  value,
  onChange,
  search,
  multiple = true,
  error,
  placeholder,
  describedBy,
}: Props) {
  const id = useId();
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<PrincipalOption[]>([]);
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const typesKey = types.join(",");

  useEffect(() => {
    if (!open) return;
    const mine = ++seq.current;
    const t = setTimeout(async () => {
      setLoading(true);
      try {
        const found = await search(query, typesKey.split(",") as PrincipalKind[]);
        if (mine === seq.current) {
          setOptions(found);
          setActive(0);
        }
      } catch {
        if (mine === seq.current) setOptions([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 200);
    return () => clearTimeout(t);
  }, [query, open, typesKey, search]);

  const picked = new Set(value.map((v) => v.id));
  const visible = options.filter((o) => !picked.has(o.id));

  function pick(o: PrincipalOption) {
    onChange(multiple ? [...value, o] : [o]);
    setQuery("");
    if (!multiple) setOpen(false);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(visible.length - 1, 0)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      const o = visible[active];
      if (open && o) {
        e.preventDefault();
        pick(o);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
      }
    } else if (e.key === "Backspace" && query === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="mb-1 block text-sm font-semibold text-neutral-800">
        {label}
      </label>
      {value.length > 0 && (
        <ul aria-label={`Selected: ${label}`} className="mb-2 flex flex-wrap gap-1.5">
          {value.map((v) => (
            <li
              key={v.id}
              className="flex items-center gap-1 rounded-sm border border-neutral-300 bg-neutral-100 py-0.5 pl-2 pr-1 text-sm"
            >
              <span>
                {v.displayName}
                <span className="sr-only"> ({typeWords[v.type]})</span>
              </span>
              <button
                type="button"
                className="rounded-sm p-0.5 text-neutral-600 hover:bg-neutral-200 focus-visible:outline-2 focus-visible:outline-[#0078d4]"
                aria-label={`Remove ${v.displayName}`}
                onClick={() => onChange(value.filter((x) => x.id !== v.id))}
              >
                <X aria-hidden className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={`${id}-input`}
        role="combobox"
        type="text"
        autoComplete="off"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && visible[active] ? `${id}-opt-${visible[active].id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, describedBy].filter(Boolean).join(" ") || undefined}
        placeholder={placeholder ?? "Search by name or principal name"}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        className="w-full rounded-sm border border-neutral-500 px-2 py-1.5 text-sm outline-none focus:border-[#0078d4] focus:ring-1 focus:ring-[#0078d4] aria-[invalid=true]:border-red-700"
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label={`${label} results`}
          className="absolute z-30 mt-1 max-h-64 w-full overflow-auto rounded-sm border border-neutral-300 bg-white py-1 shadow-lg"
        >
          {visible.length === 0 ? (
            <li role="option" aria-selected={false} aria-disabled className="px-3 py-2 text-sm text-neutral-600">
              {loading ? "Searching…" : query ? "No matching members." : "Type a name to search."}
            </li>
          ) : (
            visible.map((o, i) => (
              <li
                key={o.id}
                id={`${id}-opt-${o.id}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(o)}
                onMouseEnter={() => setActive(i)}
                className={`cursor-pointer px-3 py-1.5 text-sm ${i === active ? "bg-[#deecf9]" : ""}`}
              >
                <span className="block font-medium text-neutral-900">{o.displayName}</span>
                <span className="block text-xs text-neutral-600">
                  {typeWords[o.type]} · {o.detail}
                </span>
              </li>
            ))
          )}
        </ul>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
