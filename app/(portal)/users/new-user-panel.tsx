"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SidePanel } from "@/components/ui/side-panel";
import { toast } from "@/components/ui/toaster";
import { describeFailure } from "@/lib/actions/result";
import { createUserInput, type CreateUserData, type CreateUserInput } from "@/lib/validation/create-user";
import { createUserAction } from "./actions";

const empty: CreateUserInput = {
  displayName: "",
  userPrincipalName: "",
  mail: "",
  jobTitle: "",
  department: "",
  password: "",
  accountEnabled: true,
};

type Props = { open: boolean; tenantName: string; onClose: () => void; onCreated: (name: string) => void };

/** "New user": the same zod schema checks the fields here and in the action; server errors land on their fields. */
export function NewUserPanel({ open, tenantName, onClose, onCreated }: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateUserInput, unknown, CreateUserData>({
    resolver: zodResolver(createUserInput),
    defaultValues: empty,
  });
  const { register, handleSubmit, formState, setError, reset } = form;
  const err = (k: keyof CreateUserInput) => formState.errors[k]?.message;
  const busy = formState.isSubmitting;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const res = await createUserAction(values);
    if (res.ok) {
      reset(empty);
      toast.success(`Created user ${res.data.displayName} (${res.data.userPrincipalName}).`);
      onCreated(res.data.displayName);
      return;
    }
    for (const [k, msgs] of Object.entries(res.fieldErrors ?? {})) {
      if (k in empty && msgs[0]) setError(k as keyof CreateUserInput, { message: msgs[0] });
    }
    setFormError(describeFailure(res));
  });

  const close = () => {
    setFormError(null);
    onClose();
  };

  return (
    <SidePanel
      open={open}
      onClose={close}
      busy={busy}
      title="New user"
      subtitle={`Create a user in ${tenantName}`}
      testId="new-user-panel"
      footer={
        <>
          <Button variant="primary" type="submit" form="new-user-form" pending={busy} pendingLabel="Creating…">
            Create
          </Button>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
        </>
      }
    >
      <form id="new-user-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        <Field label="Display name" required error={err("displayName")}>
          {(c) => <TextInput {...c} {...register("displayName")} autoComplete="off" data-autofocus />}
        </Field>
        <Field
          label="User principal name"
          required
          hint="For example jane.doe@PerparimSolutions.onmicrosoft.com"
          error={err("userPrincipalName")}
        >
          {(c) => <TextInput {...c} {...register("userPrincipalName")} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Mail" error={err("mail")}>
          {(c) => <TextInput {...c} {...register("mail")} type="email" autoComplete="off" />}
        </Field>
        <Field label="Job title" error={err("jobTitle")}>
          {(c) => <TextInput {...c} {...register("jobTitle")} />}
        </Field>
        <Field label="Department" error={err("department")}>
          {(c) => <TextInput {...c} {...register("department")} />}
        </Field>
        <Field label="Password" required hint="At least 12 characters." error={err("password")}>
          {(c) => <TextInput {...c} {...register("password")} type="password" autoComplete="new-password" />}
        </Field>
        <Checkbox label="Account enabled" hint="A disabled account cannot sign in." {...register("accountEnabled")} />
      </form>
    </SidePanel>
  );
}
