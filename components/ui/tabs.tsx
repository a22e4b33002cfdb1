"use client";

import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "./cn";

export type TabItem = {
  id: string;
  label: string;
  /** Shown after the label, e.g. "Eligible assignments (3)"; part of the accessible name. */
  count?: number | string;
  content: ReactNode;
};

type Props = {
  /** Accessible name of the tablist. */
  label: string;
  items: TabItem[];
  /** Controlled value (use with onValueChange); otherwise uncontrolled from defaultValue. */
  value?: string;
  defaultValue?: string;
  onValueChange?: (id: string) => void;
  /** Keep the selected tab in this URL search parameter (replaceState, no navigation), e.g. "tab". */
  syncParam?: string;
  className?: string;
};

/**
 * Tabs as in the blade ("Eligible assignments | Active assignments | Expired assignments"), following the
 * WAI-ARIA tabs pattern: role=tablist/tab/tabpanel, aria-selected, aria-controls, roving tabindex,
 * Left/Right/Home/End move and select (automatic activation). Inactive panels stay mounted but hidden.
 */
export function Tabs({ label, items, value, defaultValue, onValueChange, syncParam, className }: Props) {
  const base = useId();
  const [inner, setInner] = useState(defaultValue ?? items[0]?.id ?? "");
  const current = value ?? inner;
  const refs = useRef(new Map<string, HTMLButtonElement>());

  const select = (id: string) => {
    if (value === undefined) setInner(id);
    onValueChange?.(id);
    if (syncParam && typeof window !== "undefined") {
      const url = new URL(window.location.href);
      url.searchParams.set(syncParam, id);
      window.history.replaceState(window.history.state, "", url);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = items.findIndex((t) => t.id === current);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % items.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    const item = items[next];
    if (!item) return;
    e.preventDefault();
    select(item.id);
    refs.current.get(item.id)?.focus();
  };

  return (
    <div className={className}>
      <div
        role="tablist"
        aria-label={label}
        onKeyDown={onKeyDown}
        className="mb-3 flex gap-4 border-b border-neutral-200"
      >
        {items.map((t) => {
          const selected = t.id === current;
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el);
                else refs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={selected}
              aria-controls={`${base}-panel-${t.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => select(t.id)}
              className={cn(
                "-mb-px border-b-2 px-1 py-2 text-sm hover:text-[#0078d4] focus-visible:outline-2 focus-visible:outline-[#0078d4]",
                selected ? "border-[#0078d4] font-semibold text-neutral-900" : "border-transparent text-neutral-700",
              )}
            >
              {t.label}
              {t.count !== undefined && <span className="ml-1 font-normal text-neutral-600">({t.count})</span>}
            </button>
          );
        })}
      </div>
      {items.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`${base}-panel-${t.id}`}
          aria-labelledby={`${base}-tab-${t.id}`}
          hidden={t.id !== current}
          tabIndex={0}
          className="focus-visible:outline-2 focus-visible:outline-[#0078d4]"
        >
          {t.content}
        </div>
      ))}
    </div>
  );
}
