import { LocalTime } from "@/components/ui/local-time";
import type { DeliveryProblem } from "@/lib/pim/notifications/inbox";
import { RetryDeliveriesButton } from "./notification-buttons";

/**
 * Admins only (the page passes the list only when listDeliveryProblems authorized the viewer): emails
 * that failed every retry or that the mail server refused, with the error and a way to queue them again.
 */
export function DeliveryProblems({ problems }: { problems: DeliveryProblem[] }) {
  return (
    <section aria-labelledby="delivery-problems" className="mt-8 space-y-2">
      <h2 id="delivery-problems" className="text-lg font-semibold text-neutral-900">
        Delivery problems
      </h2>
      <p className="text-sm text-neutral-700">
        Emails the mail server refused, or that failed every retry. Fix the address or the SMTP settings, then put them
        back in the queue. Only Global Administrators and Privileged Role Administrators see this list.
      </p>
      {problems.length === 0 ? (
        <p className="text-sm text-neutral-700">No failed emails.</p>
      ) : (
        <>
          {problems.length > 1 ? (
            <RetryDeliveriesButton ids={problems.map((p) => p.id)} label={`Retry all (${problems.length})`} />
          ) : null}
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Failed emails</caption>
            <thead>
              <tr className="border-b border-neutral-200 text-neutral-700">
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Queued
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Recipient
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Subject
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Attempts
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Last error
                </th>
                <th scope="col" className="py-2 font-semibold">
                  Action
                </th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p) => (
                <tr key={p.id} className="border-b border-neutral-200 align-top">
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <LocalTime value={p.createdAt} />
                  </td>
                  <td className="py-2 pr-3">{p.recipientEmail}</td>
                  <td className="py-2 pr-3">{p.subject}</td>
                  <td className="py-2 pr-3">{p.attempts}</td>
                  <td className="py-2 pr-3 break-all text-[#a4262c]">{p.lastError}</td>
                  <td className="py-2">
                    <RetryDeliveriesButton
                      ids={[p.id]}
                      label="Retry"
                      describedAs={`Retry the email to ${p.recipientEmail ?? "no address"}: ${p.subject}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
