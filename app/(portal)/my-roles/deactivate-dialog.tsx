"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { CharacterCount } from "@/components/ui/character-count";
import { Field, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { deactivateRoleAction } from "./actions";
import type { ActiveRow } from "./types";

/** "Deactivate User Administrator?": ends the activation now (access stops at once). */
export function DeactivateDialog({ row, onClose }: { row: ActiveRow; onClose: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [justification, setJustification] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const confirm = () =>
    start(async () => {
      setFailure(null);
      const res = await deactivateRoleAction({ scheduleId: row.id, justification });
      if (!res.ok) {
        const onField = res.fieldErrors?.justification?.[0];
        setFieldError(onField);
        setFailure(onField ? null : describeFailure(res));
        return;
      }
      toast.success(`${row.roleName} is deactivated.`);
      onClose();
      router.refresh();
    });
  return (
    <SidePanel
      open
      variant="dialog"
      onClose={onClose}
      busy={pending}
      title={`Deactivate ${row.roleName}?`}
      testId="deactivate-dialog"
      footer={
        <>
          <Button variant="danger" onClick={confirm} pending={pending} pendingLabel="Deactivating…">
            Deactivate
          </Button>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      <p className="mb-3 text-sm">
        Your access through {row.roleName} ({row.scopeName}) ends now. You can activate it again later while you are
        eligible.
      </p>
      {failure && <Notice tone="error">{failure}</Notice>}
      <Field
        label="Reason (optional)"
        error={fieldError}
        hint={<CharacterCount length={justification.length} max={500} />}
      >
        {(c) => (
          <TextArea {...c} value={justification} onChange={(e) => setJustification(e.target.value)} data-autofocus />
        )}
      </Field>
    </SidePanel>
  );
}
