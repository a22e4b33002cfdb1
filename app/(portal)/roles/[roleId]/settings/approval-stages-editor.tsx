"use client";

import { Controller, useFieldArray, useFormContext } from "react-hook-form";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { PrincipalPicker } from "@/components/principal-picker";
import { searchPrincipalsAction } from "@/app/(portal)/assignments/principal-actions";
import type { RoleSettingsFormIn } from "./schema";

const modeWords = { anyOne: "Any one approver", all: "All approvers", nOfM: "A number of approvers (N of M)" } as const;

/** Approval stages in order: each with its approvers (users, groups) and how many of them must approve. */
export function ApprovalStagesEditor() {
  const { control, register, watch, formState } = useFormContext<RoleSettingsFormIn>();
  const { fields, append, remove } = useFieldArray({ control, name: "approvalStages" });
  const stageErrors = formState.errors.approvalStages;

  return (
    <section aria-labelledby="stages-heading" className="mb-4 ml-6 border-l-2 border-neutral-200 pl-4">
      <h3 id="stages-heading" className="mb-1 text-sm font-semibold">
        Approval stages
      </h3>
      <p className="mb-3 text-xs text-neutral-700">
        {fields.length === 0
          ? "No approvers selected: Privileged Role Administrators and Global Administrators approve (one stage, any one)."
          : "Stages run in order; a denial at any stage ends the request."}
      </p>
      {fields.map((f, i) => (
        <div key={f.id} className="mb-3 rounded-sm border border-neutral-300 p-3">
          <div className="mb-2 flex items-center justify-between">
            <h4 className="text-sm font-semibold">Stage {i + 1}</h4>
            <button
              type="button"
              className="inline-flex items-center gap-1 text-sm text-[#a4262c] hover:underline"
              onClick={() => remove(i)}
              aria-label={`Remove stage ${i + 1}`}
            >
              <Trash2 aria-hidden className="size-4" /> Remove
            </button>
          </div>
          <div className="mb-3">
            <Controller
              control={control}
              name={`approvalStages.${i}.approvers`}
              render={({ field }) => (
                <PrincipalPicker
                  label={`Stage ${i + 1} approvers`}
                  types={["User", "Group"]}
                  value={field.value.map((a) => ({ ...a, detail: a.type }))}
                  onChange={(v) =>
                    field.onChange(
                      v
                        .filter((x) => x.type !== "ServicePrincipal")
                        .map((x) => ({ id: x.id, type: x.type, displayName: x.displayName })),
                    )
                  }
                  search={searchPrincipalsAction}
                  error={stageErrors?.[i]?.approvers?.message}
                />
              )}
            />
          </div>
          <div className="grid grid-cols-3 gap-4">
            <Field label="Who must approve" error={stageErrors?.[i]?.mode?.message}>
              {(a) => (
                <Select {...a} {...register(`approvalStages.${i}.mode`)}>
                  {Object.entries(modeWords).map(([k, w]) => (
                    <option key={k} value={k}>
                      {w}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label="Decide within (hours)"
              hint="Undecided after this, the request expires."
              error={stageErrors?.[i]?.escalationHours?.message}
            >
              {(a) => (
                <TextInput
                  {...a}
                  type="number"
                  min={1}
                  max={336}
                  {...register(`approvalStages.${i}.escalationHours`)}
                />
              )}
            </Field>
            {watch(`approvalStages.${i}.mode`) === "nOfM" && (
              <Field label="Approvals needed (N)" error={stageErrors?.[i]?.required?.message}>
                {(a) => <TextInput {...a} type="number" min={1} {...register(`approvalStages.${i}.required`)} />}
              </Field>
            )}
          </div>
        </div>
      ))}
      {fields.length < 5 && (
        <Button onClick={() => append({ mode: "anyOne", approvers: [], escalationHours: 24 })}>
          <Plus aria-hidden className="size-4" /> Add approval stage
        </Button>
      )}
      {stageErrors?.message && <p className="mt-1 text-sm text-red-700">{stageErrors.message}</p>}
    </section>
  );
}
