/** A row of the Users list as the browser receives it (dates as ISO strings). */
export type UserRow = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  lastSignInAt: string | null;
  /** The viewer may disable / enable this person now (the use case's rule, computed on the server). */
  canSetEnabled: boolean;
};
