import type { ReactNode } from "react";
import { Inbox } from "lucide-react";

/** An empty list that says what it is and what to do ("You have no eligible roles. Ask an administrator ..."). */
export function EmptyState({
  title,
  children,
  action,
  icon,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-2 px-4 py-6 text-center" data-testid="empty-state">
      <span className="text-neutral-500" aria-hidden>
        {icon ?? <Inbox className="size-8" />}
      </span>
      <p className="font-semibold text-neutral-900">{title}</p>
      {children && <div className="max-w-prose text-sm text-neutral-700">{children}</div>}
      {action}
    </div>
  );
}
