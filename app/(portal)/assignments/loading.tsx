import { BladeSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <BladeSkeleton label="Loading assignments" tabs={3} />;
}
