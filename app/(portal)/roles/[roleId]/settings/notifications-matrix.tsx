"use client";

import { useFormContext } from "react-hook-form";
import { inputClass } from "@/components/ui/field";
import { notificationEvents, recipientRows, type RoleSettingsFormIn } from "./schema";

const recipients = ["admin", "assignee", "approver"] as const;

/** The 3 × 3 notification matrix: per event and recipient type, default recipients, additional emails, critical only. */
export function NotificationsMatrix() {
  const { register, formState } = useFormContext<RoleSettingsFormIn>();
  const errs = formState.errors.notifications;
  return (
    <div>
      {notificationEvents.map((ev) => (
        <section key={ev.key} aria-labelledby={`ev-${ev.key}`} className="mb-6">
          <h3 id={`ev-${ev.key}`} className="mb-2 text-sm font-semibold">
            {ev.label}
          </h3>
          <table className="w-full table-fixed border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-neutral-300">
                <th scope="col" className="w-[38%] px-2 py-1.5 font-semibold">
                  Type
                </th>
                <th scope="col" className="w-24 px-2 py-1.5 font-semibold">
                  Default recipients
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  Additional recipients
                </th>
                <th scope="col" className="w-28 px-2 py-1.5 font-semibold">
                  Critical emails only
                </th>
              </tr>
            </thead>
            <tbody>
              {recipients.map((r) => {
                const name = `notifications.${ev.key}.${r}` as const;
                const label = recipientRows[ev.key][r];
                const err = errs?.[ev.key]?.[r]?.additionalRecipients?.message;
                return (
                  <tr key={r} className="border-b border-neutral-200 align-top">
                    <th scope="row" className="px-2 py-2 text-left font-normal">
                      {label}
                    </th>
                    <td className="px-2 py-2">
                      <input
                        type="checkbox"
                        aria-label={`${label}: default recipients`}
                        {...register(`${name}.defaultRecipients`)}
                        className="size-4 accent-[#0078d4]"
                      />
                    </td>
                    <td className="px-2 py-2">
                      <input
                        type="text"
                        aria-label={`${label}: additional recipients`}
                        aria-invalid={err ? true : undefined}
                        placeholder="Add emails, separated by commas"
                        {...register(`${name}.additionalRecipients`)}
                        className={inputClass}
                      />
                      {err && <p className="mt-1 text-sm text-red-700">{err}</p>}
                    </td>
                    <td className="px-2 py-2">
                      <input
                        type="checkbox"
                        aria-label={`${label}: critical emails only`}
                        {...register(`${name}.criticalOnly`)}
                        className="size-4 accent-[#0078d4]"
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
