"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure, type ActionResult } from "@/lib/actions/result";

/**
 * "Cancel scheduled activation?": withdraws an activation that has not started (My roles, Assignments).
 * `whose` is "Your" or "Noah Wilson's"; `cancel` calls the page's server action.
 */
export function CancelScheduledDialog({
  whose,
  roleName,
  scopeName,
  start,
  cancel,
  onClose,
}: {
  whose: string;
  roleName: string;
  scopeName: string;
  start: string;
  cancel: () => Promise<ActionResult<unknown>>;
  onClose: () => void;
}) {
  const router = useRouter();
  const [pending, run] = useTransition();
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = () =>
    run(async () => {
      setFailure(null);
      const res = await cancel();
      if (!res.ok) {
        setFailure(describeFailure(res));
        return;
      }
      toast.success(`The scheduled activation of ${roleName} is canceled.`);
      onClose();
      router.refresh();
    });
  return (
    <SidePanel
      open
      variant="dialog"
      onClose={onClose}
      busy={pending}
      title="Cancel scheduled activation?"
      testId="cancel-scheduled-dialog"
      footer={
        <>
          <Button variant="danger" onClick={confirm} pending={pending} pendingLabel="Canceling…" data-autofocus>
            Cancel activation
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Keep it
          </Button>
        </>
      }
    >
      {failure && <Notice tone="error">{failure}</Notice>}
      <p className="text-sm">
        {whose} activation of {roleName} ({scopeName}) scheduled from <LocalTime value={start} /> is canceled; it never
        starts. It can be activated again at any time while eligible.
      </p>
    </SidePanel>
  );
}
