import { BladeSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <BladeSkeleton label="Loading my roles" tabs={3} />;
}
