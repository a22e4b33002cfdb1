import { BladeSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <BladeSkeleton label="Loading role settings" tabs={3} />;
}
