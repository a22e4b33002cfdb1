/** The top bar search's result list, built from the menu's pages and the directory's answer (pure: tested). */

export type PageEntry = { href: string; label: string; keywords?: string };
export type Hit = { id: string; name: string; detail: string | null };
export type SearchPayload = { roles: Hit[]; people: Hit[]; groups: Hit[]; reader: boolean };
export type SearchItem = { label: string; detail?: string; href: string };
export type SearchSection = { key: "pages" | "roles" | "people" | "groups"; title: string; items: SearchItem[] };

const PAGE_LIMIT = 5;

/**
 * Pages whose name (or keywords) contain the query, words starting with it first; then the directory's roles,
 * people and groups. A role leads a PIM reader to its assignments and anyone else to the Roles list; a person
 * to the Users page filtered on them; a group (readers only) to its assignments.
 */
export function buildResults(query: string, pages: PageEntry[], payload: SearchPayload | null): SearchSection[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [];
  const score = (p: PageEntry) => {
    const label = p.label.toLowerCase();
    if (label.startsWith(q)) return 0;
    if (label.split(/\s+/).some((w) => w.startsWith(q))) return 1;
    if (label.includes(q)) return 2;
    if ((p.keywords ?? "").toLowerCase().includes(q)) return 3;
    return -1;
  };
  const matched = pages
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || a.p.label.localeCompare(b.p.label))
    .slice(0, PAGE_LIMIT)
    .map(({ p }) => ({ label: p.label, href: p.href, detail: "Page" }));
  const sections: SearchSection[] = [{ key: "pages", title: "Pages", items: matched }];
  if (!payload) return sections;
  sections.push(
    {
      key: "roles",
      title: "Roles",
      items: payload.roles.map((r) => ({
        label: r.name,
        detail: payload.reader ? "Role · assignments" : "Role",
        href: payload.reader ? `/roles/${r.id}/assignments` : `/roles?q=${encodeURIComponent(r.name)}`,
      })),
    },
    {
      key: "people",
      title: "People",
      items: payload.people.map((u) => ({
        label: u.name,
        detail: u.detail ?? undefined,
        href: `/users?q=${encodeURIComponent(u.detail ?? u.name)}`,
      })),
    },
    {
      key: "groups",
      title: "Groups",
      items: payload.groups.map((g) => ({
        label: g.name,
        detail: "Group · assignments",
        href: `/assignments?q=${encodeURIComponent(g.name)}`,
      })),
    },
  );
  return sections;
}
