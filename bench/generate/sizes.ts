/** Directory sizes of the scale benchmarks (issue 10). M is the size the issue measured; L a large tenant. */
export type SizeName = "S" | "M" | "L";

export type SizeSpec = {
  users: number;
  groups: number;
  administrativeUnits: number;
  /** Custom role definitions next to the built-in ones. */
  customRoles: number;
  /** Eligibility + assignment schedules together (live and history). */
  schedules: number;
  requests: number;
  auditRows: number;
  /** Users holding GA or PRA now, directly or through a group (the default approvers). */
  pimAdmins: number;
  /** Requests waiting for approval (the Approve requests page). */
  pending: number;
  /** Users with an eligibility and a personal token for the self-activation benchmark. */
  activators: number;
};

export const SIZES: Record<SizeName, SizeSpec> = {
  S: {
    users: 1_000,
    groups: 25,
    administrativeUnits: 5,
    customRoles: 10,
    schedules: 10_000,
    requests: 1_000,
    auditRows: 50_000,
    pimAdmins: 60,
    pending: 40,
    activators: 200,
  },
  M: {
    users: 20_009,
    groups: 502,
    administrativeUnits: 52,
    customRoles: 40,
    schedules: 200_000,
    requests: 20_000,
    auditRows: 1_000_000,
    pimAdmins: 400,
    pending: 300,
    activators: 2_000,
  },
  L: {
    users: 100_000,
    groups: 2_000,
    administrativeUnits: 200,
    customRoles: 90,
    schedules: 1_000_000,
    requests: 200_000,
    auditRows: 10_000_000,
    pimAdmins: 400,
    pending: 1_000,
    activators: 5_000,
  },
};

export function sizeOf(name: string): SizeSpec {
  const s = SIZES[name.toUpperCase() as SizeName];
  if (!s) throw new Error(`Unknown size '${name}': use S, M or L`);
  return s;
}
