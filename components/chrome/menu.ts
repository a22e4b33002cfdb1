/**
 * The blade's left menu (as in the seed's screenshot: Quick start / Overview, then Tasks, Manage, Activity).
 * Only pages that exist are listed: add an entry here when a page lands. `requires` hides an entry from
 * people who could not use the page (the page still checks on its own).
 */
export type MenuSection = "Quick start" | "Tasks" | "Manage" | "Activity" | "Directory";
export type MenuEntry = {
  href: string;
  label: string;
  section: MenuSection;
  /**
   * 'admin' = Global / Privileged Role Administrator now; 'reader' = any PIM reader role now; 'groupOwner' =
   * a reader, or an owner of a group now (PIM for Groups: owners manage their groups without a PIM role).
   */
  requires?: "admin" | "reader" | "groupOwner";
  /** Also highlighted for paths under these prefixes. */
  match?: string[];
  /** Other words the top bar's search finds this page by. */
  keywords?: string;
};

export const sectionOrder: MenuSection[] = ["Quick start", "Tasks", "Manage", "Activity", "Directory"];

export const menu: MenuEntry[] = [
  { href: "/quick-start", label: "Quick start", section: "Quick start", keywords: "help getting started docs" },
  { href: "/overview", label: "Overview", section: "Quick start", keywords: "dashboard home" },
  { href: "/my-roles", label: "My roles", section: "Tasks", keywords: "activate eligible deactivate extend renew" },
  { href: "/pending-requests", label: "Pending requests", section: "Tasks", keywords: "my requests cancel" },
  { href: "/approve-requests", label: "Approve requests", section: "Tasks", keywords: "approvals deny" },
  {
    href: "/review-access",
    label: "Review access",
    section: "Tasks",
    keywords: "access reviews recertify approve deny",
  },
  { href: "/roles", label: "Roles", section: "Manage", keywords: "role settings policy" },
  {
    href: "/assignments",
    label: "Assignments",
    section: "Manage",
    requires: "reader",
    keywords: "eligible active expired add",
  },
  {
    href: "/groups",
    label: "Groups",
    section: "Manage",
    // a group's owner manages their groups there without any PIM role (the page scopes itself)
    requires: "groupOwner",
    keywords: "pim for groups membership ownership just in time",
  },
  {
    href: "/alerts",
    label: "Alerts",
    section: "Manage",
    requires: "reader",
    keywords: "security alerts stale global administrators mfa dismiss",
  },
  {
    href: "/access-reviews",
    label: "Access reviews",
    section: "Manage",
    requires: "reader",
    keywords: "recertification review apply",
  },
  {
    href: "/discovery",
    label: "Discovery and insights (Preview)",
    section: "Manage",
    requires: "reader",
    keywords: "reduce global administrators standing access service principals",
  },
  {
    href: "/settings",
    label: "Settings",
    section: "Manage",
    requires: "reader",
    keywords: "pim settings notification sender review defaults",
  },
  { href: "/activity", label: "Activity", section: "Activity", keywords: "audit resource audit my audit log" },
  { href: "/notifications", label: "Notifications", section: "Activity", keywords: "alerts email" },
  {
    href: "/sign-in-logs",
    label: "Sign-in logs",
    section: "Activity",
    requires: "reader",
    keywords: "sign-ins login failures lockout",
  },
  { href: "/users", label: "Users", section: "Directory", keywords: "people new user disable reset mfa" },
  { href: "/tokens", label: "API tokens", section: "Directory", keywords: "personal access token" },
  {
    href: "/service-principals",
    label: "Service principals",
    section: "Directory",
    requires: "reader",
    keywords: "app registrations applications client secrets",
  },
  {
    href: "/scim",
    label: "SCIM provisioning",
    section: "Directory",
    requires: "admin",
    keywords: "provisioning identity provider entra okta keycloak sync users groups",
  },
  {
    href: "/webhooks",
    label: "Webhooks",
    section: "Directory",
    requires: "admin",
    keywords: "events signed delivery log integrations",
  },
  { href: "/api-docs", label: "API", section: "Directory", keywords: "graph openapi docs" },
];

export type MenuAccess = { admin: boolean; reader: boolean; groupOwner?: boolean };

/** The entries this person sees, grouped by section in menu order (empty sections left out). */
export function visibleMenu(
  access: MenuAccess,
  entries: MenuEntry[] = menu,
): { section: MenuSection; items: MenuEntry[] }[] {
  const reader = access.reader || access.admin;
  const allowed = entries.filter(
    (e) =>
      !e.requires ||
      (e.requires === "admin" ? access.admin : e.requires === "reader" ? reader : reader || access.groupOwner === true),
  );
  return sectionOrder
    .map((section) => ({ section, items: allowed.filter((e) => e.section === section) }))
    .filter((g) => g.items.length > 0);
}

/** Is `pathname` this entry's page (or below it)? */
export function isActive(entry: MenuEntry, pathname: string): boolean {
  return [entry.href, ...(entry.match ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
