"use client";

import "@/lib/validation/zod-config";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import type { z } from "zod";
import { describeFailure, type ActionResult } from "@/lib/actions/result";
import { Button } from "./button";
import { Field, TextArea } from "./field";
import { Notice } from "./notice";
import { SidePanel } from "./side-panel";
import { toast } from "./toaster";

type Props<I extends { justification: string }, T> = {
  title: string;
  testId: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  /** The justification's hint under the field. */
  hint: string;
  confirmLabel: string;
  pendingLabel: string;
  tone?: "danger" | "primary";
  /** The action's input without the justification (ids, flags). */
  input: Omit<I, "justification">;
  /** The same zod schema the server checks, so the field error shows before a round trip. */
  schema: z.ZodType<unknown, I>;
  action: (input: I) => Promise<ActionResult<T>>;
  /** The toast after success. */
  done: (data: T) => string;
  onClose: () => void;
};

/**
 * A confirmation that needs a justification (Reset MFA, Disable user, …): a keyboard-operable dialog that
 * checks the field with the server's schema, calls the server action, shows the refusal in words under
 * the title (and a per-field message), or closes with a toast and refreshes the page.
 */
export function JustifiedConfirm<I extends { justification: string }, T>(p: Props<I, T>) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [justification, setJustification] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = () =>
    start(async () => {
      setFailure(null);
      const input = { ...p.input, justification } as I;
      const local = p.schema.safeParse(input);
      if (!local.success) {
        setError(local.error.issues.find((i) => i.path[0] === "justification")?.message);
        return;
      }
      setError(undefined);
      const res = await p.action(input);
      if (!res.ok) {
        setError(res.fieldErrors?.justification?.[0]);
        setFailure(describeFailure(res));
        return;
      }
      toast.success(p.done(res.data));
      p.onClose();
      router.refresh();
    });

  return (
    <SidePanel
      open
      variant="dialog"
      onClose={p.onClose}
      busy={pending}
      title={p.title}
      testId={p.testId}
      footer={
        <>
          <Button variant={p.tone ?? "danger"} onClick={confirm} pending={pending} pendingLabel={p.pendingLabel}>
            {p.confirmLabel}
          </Button>
          <Button onClick={p.onClose} disabled={pending}>
            Cancel
          </Button>
        </>
      }
    >
      {p.children}
      {failure && <Notice tone="error">{failure}</Notice>}
      <Field label="Justification" required error={error} hint={p.hint}>
        {(c) => (
          <TextArea
            {...c}
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
            maxLength={500}
            data-autofocus
          />
        )}
      </Field>
    </SidePanel>
  );
}
