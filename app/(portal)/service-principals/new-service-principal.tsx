"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CommandBar, CommandButton } from "@/components/ui/command-bar";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { createServicePrincipalAction } from "./actions";

/** "+ New service principal": a side panel with name and description; on success, go to its secrets. */
export function NewServicePrincipal() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  function submit(form: FormData) {
    setError(null);
    setFieldErrors({});
    start(async () => {
      const r = await createServicePrincipalAction({
        displayName: form.get("displayName"),
        description: form.get("description") || undefined,
      });
      if (r.ok) {
        setOpen(false);
        router.push(`/service-principals/${r.data.id}?created=1`);
      } else {
        setError(r.message);
        setFieldErrors(r.fieldErrors ?? {});
      }
    });
  }

  return (
    <>
      <CommandBar label="Service principal commands">
        <CommandButton onClick={() => setOpen(true)}>
          <Plus aria-hidden className="size-4" /> New service principal
        </CommandButton>
      </CommandBar>
      <SidePanel
        open={open}
        onClose={() => setOpen(false)}
        title="Register a service principal"
        busy={pending}
        testId="new-sp-panel"
      >
        <form action={submit} className="space-y-3">
          {error ? <Notice tone="error">{error}</Notice> : null}
          <Field label="Display name" required error={fieldErrors.displayName}>
            {(p) => <TextInput {...p} name="displayName" maxLength={120} required data-autofocus />}
          </Field>
          <Field label="Description" hint="What the application does and who owns it." error={fieldErrors.description}>
            {(p) => <TextArea {...p} name="description" maxLength={500} rows={3} />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" pending={pending} pendingLabel="Registering…">
              Register
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
