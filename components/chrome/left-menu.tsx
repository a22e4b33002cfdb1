"use client";

import Link from "@/components/ui/link";
import { usePathname } from "next/navigation";
import { isActive, type MenuEntry, type MenuSection } from "./menu";

/** The blade's left menu; the current page is marked with aria-current and the blue bar. */
export function LeftMenu({ groups }: { groups: { section: MenuSection; items: MenuEntry[] }[] }) {
  const pathname = usePathname() ?? "/";
  return (
    <nav aria-label="Privileged Identity Management" className="text-[13px]">
      {groups.map((g) => (
        <div key={g.section} className="mb-2">
          {g.section !== "Quick start" ? (
            <h2 className="px-4 pt-3 pb-1 text-[12px] font-semibold text-neutral-600">{g.section}</h2>
          ) : null}
          <ul>
            {g.items.map((item) => {
              const active = isActive(item, pathname);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={`block border-l-[3px] px-4 py-1.5 hover:bg-neutral-100 ${
                      active
                        ? "border-[#0078d4] bg-[#edebe9] font-semibold text-neutral-900"
                        : "border-transparent text-neutral-800"
                    }`}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
