"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { Field, Select, TextArea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { manageGroupAction } from "./actions";

type Candidate = { id: string; displayName: string; isAssignableToRole: boolean };

/** "+ Manage groups" (Entra: Discover groups → Manage groups): choose a group and bring it under PIM. */
export function ManageGroupsPanel({ candidates }: { candidates: Candidate[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  function submit(form: FormData) {
    setError(null);
    setFieldErrors({});
    start(async () => {
      const r = await manageGroupAction({
        groupId: form.get("groupId"),
        justification: form.get("justification") || undefined,
      });
      if (r.ok) {
        setOpen(false);
        router.refresh();
      } else {
        setError(r.message);
        setFieldErrors(r.fieldErrors ?? {});
      }
    });
  }

  return (
    <>
      <CommandBar label="Group commands">
        <CommandButton onClick={() => setOpen(true)}>
          <Plus aria-hidden className="size-4" /> Manage groups
        </CommandButton>
      </CommandBar>
      <SidePanel
        open={open}
        onClose={() => setOpen(false)}
        title="Bring a group under PIM"
        busy={pending}
        testId="manage-group-panel"
      >
        <form action={submit} className="space-y-3">
          <p className="text-sm text-neutral-700">
            From then on, membership and ownership of the group are eligible or active, permanent or time-bound, and
            follow the group&apos;s own settings. Standing members stay members.
          </p>
          {error ? <Notice tone="error">{error}</Notice> : null}
          {candidates.length === 0 ? (
            <Notice>Every group of the directory is already under PIM.</Notice>
          ) : (
            <Field label="Group" required error={fieldErrors.groupId}>
              {(p) => (
                <Select {...p} name="groupId" required defaultValue="" data-autofocus>
                  <option value="" disabled>
                    Select a group
                  </option>
                  {candidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.displayName}
                      {c.isAssignableToRole ? " (role-assignable)" : ""}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          <Field label="Justification" hint="Kept in the audit log." error={fieldErrors.justification}>
            {(p) => <TextArea {...p} name="justification" maxLength={500} rows={2} />}
          </Field>
          <div className="flex gap-2">
            <Button
              type="submit"
              variant="primary"
              pending={pending}
              pendingLabel="Bringing under PIM…"
              disabled={candidates.length === 0}
            >
              Manage group
            </Button>
            <Button onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      </SidePanel>
    </>
  );
}
