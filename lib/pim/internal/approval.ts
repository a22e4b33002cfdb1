import { and, eq, inArray } from "drizzle-orm";
import { approvalDecisions, groupMembers, users, type ApprovalStage } from "@/db/schema";
import type { Db } from "@/db/types";
import { isPimAdmin } from "../authz";
import { PIM_ADMIN_ROLE_IDS } from "../directory/builtin-roles";
import { pimAdmins } from "../notifications/recipients";
import type { RequestRow } from "./schedules";

/** The default stage when approval is required and no approvers are named: any one GA/PRA holder. */
export const DEFAULT_STAGE: ApprovalStage = { mode: "anyOne", approvers: [] };
export const defaultApproverRoleIds = PIM_ADMIN_ROLE_IDS;

/**
 * May `userId` decide `stage` at `now`? Named users; members (enabled) of named groups; with no named
 * approvers, holders of GA or PRA right now. Self-approval is excluded by the caller.
 */
export async function isStageApprover(tx: Db, stage: ApprovalStage, userId: string, now: Date): Promise<boolean> {
  const [u] = await tx.select({ enabled: users.accountEnabled }).from(users).where(eq(users.id, userId)).limit(1);
  if (!u?.enabled) return false;
  if (stage.approvers.length === 0) return isPimAdmin(tx, userId, now);
  if (stage.approvers.some((a) => a.type === "User" && a.id === userId)) return true;
  const groupIds = stage.approvers.filter((a) => a.type === "Group").map((a) => a.id);
  if (groupIds.length === 0) return false;
  const m = await tx
    .select({ g: groupMembers.groupId })
    .from(groupMembers)
    .where(and(eq(groupMembers.userId, userId), inArray(groupMembers.groupId, groupIds)))
    .limit(1);
  return m.length > 0;
}

/** How many approvals a stage needs: anyOne 1, nOfM `required`, all = every approver person (not the requester). */
export async function stageQuota(tx: Db, stage: ApprovalStage, r: RequestRow, now: Date): Promise<number> {
  if (stage.mode === "anyOne") return 1;
  if (stage.mode === "nOfM") return Math.max(1, stage.required ?? 1);
  const excluded = new Set([r.requestorId, r.principalId]);
  let people: string[];
  if (stage.approvers.length === 0) {
    people = (await pimAdmins(tx, now)).map((p) => p.userId);
  } else {
    const userIds = stage.approvers.filter((a) => a.type === "User").map((a) => a.id);
    const groupIds = stage.approvers.filter((a) => a.type === "Group").map((a) => a.id);
    const members = groupIds.length
      ? await tx
          .select({ id: users.id })
          .from(groupMembers)
          .innerJoin(users, eq(users.id, groupMembers.userId))
          .where(and(inArray(groupMembers.groupId, groupIds), eq(users.accountEnabled, true)))
      : [];
    const named = userIds.length
      ? await tx
          .select({ id: users.id })
          .from(users)
          .where(and(inArray(users.id, userIds), eq(users.accountEnabled, true)))
      : [];
    people = [...named, ...members].map((p) => p.id);
  }
  return Math.max(1, new Set(people.filter((p) => !excluded.has(p))).size);
}

/** Approvals recorded so far in `stage` of the request. */
export async function approvalsInStage(tx: Db, requestId: string, stage: number): Promise<number> {
  const rows = await tx
    .select({ id: approvalDecisions.id })
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.requestId, requestId),
        eq(approvalDecisions.stage, stage),
        eq(approvalDecisions.decision, "Approve"),
      ),
    );
  return rows.length;
}
