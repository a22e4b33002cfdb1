"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { SidePanel } from "@/components/admin/side-panel";
import { Checkbox, Field, inputClass, Notice, primaryButton, secondaryButton } from "@/components/admin/fields";
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

/** "New user": the same zod schema checks the fields here and in the action; server errors land on their fields. */
export function NewUserPanel({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (name: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateUserInput, unknown, CreateUserData>({ resolver: zodResolver(createUserInput), defaultValues: empty });
  const { register, handleSubmit, formState, setError, reset } = form;
  const err = (k: keyof CreateUserInput) => formState.errors[k]?.message;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const res = await createUserAction(values);
    if (res.ok) {
      reset(empty);
      onCreated(res.data.displayName);
      return;
    }
    for (const [k, msgs] of Object.entries(res.fieldErrors ?? {})) {
      if (k in empty && msgs[0]) setError(k as keyof CreateUserInput, { message: msgs[0] });
    }
    setFormError(res.message);
  });

  return (
    <SidePanel
      open={open}
      onClose={onClose}
      title="New user"
      subtitle="Create a user in Perparims Cloud Solutions"
      footer={
        <>
          <button type="submit" form="new-user-form" className={primaryButton} disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Creating…" : "Create"}
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      <form id="new-user-form" noValidate onSubmit={submit}>
        {formError && <Notice tone="error">{formError}</Notice>}
        <Field label="Display name" required error={err("displayName")}>
          {(a) => <input {...a} {...register("displayName")} className={inputClass} autoComplete="off" />}
        </Field>
        <Field label="User principal name" required hint="For example jane.doe@PerparimSolutions.onmicrosoft.com" error={err("userPrincipalName")}>
          {(a) => <input {...a} {...register("userPrincipalName")} className={inputClass} autoComplete="off" />}
        </Field>
        <Field label="Mail" error={err("mail")}>
          {(a) => <input {...a} {...register("mail")} type="email" className={inputClass} autoComplete="off" />}
        </Field>
        <Field label="Job title" error={err("jobTitle")}>
          {(a) => <input {...a} {...register("jobTitle")} className={inputClass} />}
        </Field>
        <Field label="Department" error={err("department")}>
          {(a) => <input {...a} {...register("department")} className={inputClass} />}
        </Field>
        <Field label="Password" required hint="At least 12 characters." error={err("password")}>
          {(a) => <input {...a} {...register("password")} type="password" className={inputClass} autoComplete="new-password" />}
        </Field>
        <Checkbox label="Account enabled" {...register("accountEnabled")} />
      </form>
    </SidePanel>
  );
}
