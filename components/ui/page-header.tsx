import type { ReactNode } from "react";

/** The blade title ("Perparims Cloud Solutions | My roles") over "Privileged Identity Management | Microsoft Entra roles". */
export function PageHeader({
  title,
  subtitle = "Privileged Identity Management | Microsoft Entra roles",
  children,
}: {
  title: string;
  subtitle?: string | null;
  children?: ReactNode;
}) {
  return (
    <div className="mb-3">
      <h1 className="text-2xl font-semibold text-neutral-900">{title}</h1>
      {subtitle && <p className="text-sm text-neutral-700">{subtitle}</p>}
      {children}
    </div>
  );
}
