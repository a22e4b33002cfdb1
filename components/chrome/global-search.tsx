"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Search } from "lucide-react";
import { buildResults, type PageEntry, type SearchPayload, type SearchSection } from "./global-search-results";

export const SEARCH_PLACEHOLDER = "Search resources, services, and docs (G+/)";

type State =
  | { kind: "idle" }
  | { kind: "loading"; q: string }
  | { kind: "done"; q: string; payload: SearchPayload }
  | { kind: "error"; q: string };

/** Is the keyboard in a place where typing means text (so G and / are letters, not the shortcut)? */
const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

/**
 * The top bar's search, as in the Azure portal: "Search resources, services, and docs (G+/)". G then /
 * focuses it from anywhere; results arrive as you type (pages of the menu at once, then roles, people and
 * groups from /api/search). An ARIA 1.2 combobox: the focus stays in the box, Up/Down move the active
 * option (aria-activedescendant), Enter opens it, Escape closes the list and then clears the box.
 */
export function GlobalSearch({ pages }: { pages: PageEntry[] }) {
  const router = useRouter();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<State>({ kind: "idle" });
  const [active, setActive] = useState(0);
  const cache = useRef(new Map<string, SearchPayload>());

  // G then / (within a second and a half), as in the Azure portal.
  useEffect(() => {
    let armedAt = 0;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === "g" || e.key === "G") {
        armedAt = Date.now();
        return;
      }
      if (e.key === "/" && Date.now() - armedAt < 1500) {
        e.preventDefault();
        armedAt = 0;
        input.current?.focus();
        input.current?.select();
        return;
      }
      armedAt = 0;
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const term = q.trim();
  // The directory half: debounced, the previous request aborted when the person types on.
  useEffect(() => {
    if (term === "") return;
    const hit = cache.current.get(term.toLowerCase());
    if (hit) {
      setState({ kind: "done", q: term, payload: hit });
      return;
    }
    setState({ kind: "loading", q: term });
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/search?q=${encodeURIComponent(term)}`, {
        signal: ctrl.signal,
        headers: { accept: "application/json" },
      })
        .then(async (res) => {
          if (!res.ok) throw new Error(String(res.status));
          const payload = (await res.json()) as SearchPayload;
          cache.current.set(term.toLowerCase(), payload);
          setState({ kind: "done", q: term, payload });
        })
        .catch((err: unknown) => {
          if (!(err instanceof DOMException && err.name === "AbortError")) setState({ kind: "error", q: term });
        });
    }, 120);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [term]);

  const payload = state.kind === "done" && state.q === term ? state.payload : null;
  const sections: SearchSection[] = useMemo(() => buildResults(term, pages, payload), [term, pages, payload]);
  const options = sections.flatMap((s) => s.items);
  const shown = open && term !== "";
  const expanded = shown && options.length > 0;
  const current = expanded ? Math.min(active, options.length - 1) : -1;
  const optionId = (i: number) => `${id}-opt-${i}`;

  const go = useCallback(
    (href: string) => {
      setOpen(false);
      setQ("");
      input.current?.blur();
      router.push(href);
    },
    [router],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
      if (options.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (Math.min(a, options.length - 1) + step + options.length) % options.length);
    } else if (e.key === "Home" && expanded) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === "End" && expanded) {
      e.preventDefault();
      setActive(options.length - 1);
    } else if (e.key === "Enter") {
      const opt = options[current];
      if (opt) {
        e.preventDefault();
        go(opt.href);
      }
    } else if (e.key === "Escape") {
      if (expanded || shown) setOpen(false);
      else setQ("");
    }
  };

  const loading = state.kind === "loading" && state.q === term;
  const message = !shown
    ? ""
    : options.length > 0
      ? `${options.length} result${options.length === 1 ? "" : "s"}${loading ? ", searching the directory" : ""}. Use the up and down arrows to choose.`
      : loading
        ? "Searching…"
        : state.kind === "error"
          ? "The search failed. Try again."
          : `No results for "${term}".`;

  // Each section's first option number (options are numbered across sections for aria-activedescendant).
  const starts = sections.map((_, k) => sections.slice(0, k).reduce((n, x) => n + x.items.length, 0));
  return (
    <div className="relative mx-4 w-full max-w-xl">
      <Search aria-hidden className="pointer-events-none absolute top-1.5 left-2 size-4 text-neutral-300" />
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-label={SEARCH_PLACEHOLDER}
        aria-expanded={expanded}
        aria-controls={`${id}-listbox`}
        aria-autocomplete="list"
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        aria-describedby={`${id}-status`}
        autoComplete="off"
        spellCheck={false}
        placeholder={SEARCH_PLACEHOLDER}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="h-7 w-full rounded-sm border border-neutral-500 bg-[#323130] pr-2 pl-8 text-[13px] text-white placeholder:text-neutral-300 focus:border-white focus:bg-white focus:text-neutral-900 focus:placeholder:text-neutral-600 focus:outline-none"
      />
      <div
        className={`absolute top-8 right-0 left-0 z-40 max-h-[70vh] overflow-y-auto border border-neutral-300 bg-white text-neutral-900 shadow-lg ${shown ? "" : "hidden"}`}
      >
        <div id={`${id}-listbox`} role="listbox" aria-label="Search results" className={expanded ? "py-1" : "hidden"}>
          {sections.map((s, k) =>
            s.items.length === 0 ? null : (
              <div key={s.title} role="group" aria-labelledby={`${id}-${s.key}`}>
                <div
                  id={`${id}-${s.key}`}
                  role="presentation"
                  className="px-3 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-neutral-600 uppercase"
                >
                  {s.title}
                </div>
                {s.items.map((item, j) => {
                  const i = (starts[k] ?? 0) + j;
                  return (
                    <div
                      key={item.href + item.label}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === current}
                      onMouseDown={(e) => e.preventDefault()}
                      onMouseEnter={() => setActive(i)}
                      onClick={() => go(item.href)}
                      className={`cursor-pointer px-3 py-1.5 text-[13px] ${i === current ? "bg-[#deecf9]" : "hover:bg-neutral-100"}`}
                    >
                      <span className="block">{item.label}</span>
                      {item.detail ? <span className="block text-xs text-neutral-700">{item.detail}</span> : null}
                    </div>
                  );
                })}
              </div>
            ),
          )}
        </div>
        <p className={`px-3 py-2 text-[13px] text-neutral-700 ${expanded && !loading ? "sr-only" : ""}`}>
          {options.length > 0 && loading ? "Searching the directory…" : options.length > 0 ? "" : message}
        </p>
      </div>
      <span id={`${id}-status`} role="status" className="sr-only">
        {message}
      </span>
    </div>
  );
}
