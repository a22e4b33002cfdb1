import type { UserListRow } from "@/lib/pim/queries/list-users";

/** A row of the Users list as the browser receives it (dates as ISO strings). */
export type UserRow = Omit<UserListRow, "lastSignInAt"> & {
  lastSignInAt: string | null;
};
