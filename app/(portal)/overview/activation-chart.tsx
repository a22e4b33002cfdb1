import { useId, type ReactNode } from "react";
import { LocalDay } from "@/components/ui/local-time";

type Day = { day: string; count: number };

const W = 640;
const H = 180;
const PAD = { top: 12, right: 8, bottom: 28, left: 32 };

/**
 * Activations per day as an SVG bar chart (no library). Accessible: role="img" with a title and a summary,
 * each bar has a <title> tooltip, and the numbers are also in a table under "Show the data".
 */
export function ActivationChart({ days, title }: { days: Day[]; title: string }) {
  const id = useId();
  const max = Math.max(1, ...days.map((d) => d.count));
  const total = days.reduce((s, d) => s + d.count, 0);
  const busiest = days.reduce<Day | null>((b, d) => (d.count > (b?.count ?? 0) ? d : b), null);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, days.length);
  const ticks = max <= 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, Math.round(max / 2), max];
  // Days are named in the portal's one format ("1 Dec" in the viewer's locale), never "1/12".
  const summary: ReactNode = (
    <>
      {`${total} activation${total === 1 ? "" : "s"} in the last ${days.length} days`}
      {busiest ? (
        <>
          ; most on <LocalDay day={busiest.day} long /> ({busiest.count})
        </>
      ) : null}
      .
    </>
  );
  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full max-w-3xl">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {ticks.map((t) => {
          const y = PAD.top + innerH - (t / max) * innerH;
          return (
            <g key={t}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} stroke="#e1dfdd" />
              <text x={PAD.left - 6} y={y + 4} textAnchor="end" fontSize="11" fill="#484644">
                {t}
              </text>
            </g>
          );
        })}
        {days.map((d, i) => {
          const h = (d.count / max) * innerH;
          const x = PAD.left + i * step + step * 0.15;
          return (
            <g key={d.day}>
              <rect x={x} y={PAD.top + innerH - h} width={step * 0.7} height={h} fill="#0078d4">
                <title>
                  <LocalDay day={d.day} long />: {d.count}
                </title>
              </rect>
              {i % 5 === 4 || i === 0 ? (
                <text x={x + step * 0.35} y={H - 10} textAnchor="middle" fontSize="11" fill="#484644">
                  <LocalDay day={d.day} />
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 text-sm text-neutral-700">{summary} Days in UTC.</figcaption>
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer text-[#0078d4]">Show the data</summary>
        <table className="mt-2 text-left text-sm">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-6">
                Day (UTC)
              </th>
              <th scope="col">Activations</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td className="pr-6">
                  <LocalDay day={d.day} long />
                </td>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
