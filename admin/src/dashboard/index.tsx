import { LinearProgress } from "@mui/material";
import { lazy, Suspense } from "react";

// recharts stays out of the initial bundle.
const DashboardPage = lazy(() => import("./Dashboard"));

export const Dashboard = () => (
  <Suspense fallback={<LinearProgress />}>
    <DashboardPage />
  </Suspense>
);
