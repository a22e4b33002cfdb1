"use client";

import type { FieldControlProps } from "@/components/ui/field";
import { inputClass } from "@/components/ui/field";
import { formatMinutes } from "@/components/ui/time-format";

/** Steps offered for an activation duration: every 30 minutes up to the maximum, plus the maximum itself. */
export function durationSteps(maxMinutes: number, minMinutes = 30): number[] {
  const steps: number[] = [];
  for (let m = minMinutes; m < maxMinutes; m += 30) steps.push(m);
  steps.push(maxMinutes);
  return steps;
}

type Props = FieldControlProps & {
  /** Minutes. */
  value: number;
  onChange: (minutes: number) => void;
  onBlur?: () => void;
  /** The role's activation maximum in minutes (the select offers nothing longer). */
  maxMinutes: number;
  name?: string;
  disabled?: boolean;
};

/**
 * Activation duration as a select of half-hour steps up to the role's maximum ("8 hours (maximum)").
 * Spread <Field>'s control props onto it; put the maximum in the Field's hint ("Maximum 8 hours").
 * The server enforces the same maximum (ExpirationRule): this only keeps people from asking for more.
 */
export function DurationField({ value, onChange, onBlur, maxMinutes, name, disabled, ...control }: Props) {
  const steps = durationSteps(maxMinutes);
  const options = steps.includes(value) ? steps : [...steps, value].sort((a, b) => a - b);
  return (
    <select
      {...control}
      name={name}
      disabled={disabled}
      value={String(value)}
      onBlur={onBlur}
      onChange={(e) => onChange(Number(e.target.value))}
      className={inputClass}
    >
      {options.map((m) => (
        <option key={m} value={m}>
          {formatMinutes(m)}
          {m === maxMinutes ? " (maximum)" : ""}
        </option>
      ))}
    </select>
  );
}
