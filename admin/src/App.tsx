import { Admin, CustomRoutes, Resource } from "react-admin";
import { Route } from "react-router-dom";
import { PackList } from "./packs/PackList";
import { authProvider } from "./api/authProvider";
import { dataProvider } from "./api/dataProvider";
import { useSession } from "./api/useSession";
import { Dashboard } from "./dashboard";
import { baseDeclarations } from "./base-declarations";
import { contributions } from "./contributions";
import { alerts } from "./alerts";
import { audit } from "./audit";
import { ChannelSettings } from "./channels/ChannelSettings";
import { employees } from "./employees";
import { entityResource } from "./entities";
import { CustomFields } from "./entities/CustomFields";
import { i18nProvider } from "./i18n";
import { Layout, SelfServiceLayout } from "./layout/Layout";
import { LoginPage } from "./layout/LoginPage";
import { policyTables } from "./policy-tables";
import { reports } from "./reports";
import { PaymentImport } from "./payment-imports/PaymentImport";
import { RegionPolicyPage } from "./regions";
import { BatchUpload } from "./batches/BatchUpload";
import { BureauExports } from "./bureau-exports/BureauExports";
import { reminderTemplates } from "./reminder-templates";
import { ruleSets } from "./rule-sets";
import { notifications } from "./notifications";
import { Inbox } from "./self-service/Inbox";
import { MySummary } from "./self-service/MySummary";
import { BackPaymentCalculator } from "./si/BackPaymentCalculator";
import { ContributionCalculator } from "./si/ContributionCalculator";
import { MonthlyRun } from "./si/MonthlyRun";
import { PensionSimulator } from "./si/PensionSimulator";

const common = {
  authProvider,
  dataProvider,
  i18nProvider,
  loginPage: LoginPage,
  requireAuth: true,
  disableTelemetry: true,
  title: "Ordo",
};

/** Employees see only their own summary: no HR resources, no HR menus. */
const SelfServiceApp = () => (
  <Admin {...common} layout={SelfServiceLayout} dashboard={MySummary}>
    <CustomRoutes>
      <Route path="/me" element={<MySummary />} />
      <Route path="/inbox" element={<Inbox />} />
    </CustomRoutes>
  </Admin>
);

/** HR admins and consultants: one generated resource per entity of GET /api/entities. */
const HrApp = () => {
  const { entities } = useSession();
  return (
    <Admin {...common} layout={Layout} dashboard={Dashboard}>
      {(entities ?? []).map((e) => {
        const custom: Record<string, (x: typeof e) => ReturnType<typeof entityResource>> = {
          employees,
          "base-declarations": baseDeclarations,
          contributions,
          alerts,
          notifications,
        };
        const props = (custom[e.name] ?? entityResource)(e);
        return <Resource key={e.name} {...props} />;
      })}
      <Resource {...ruleSets} />
      <Resource {...policyTables} />
      <Resource {...reports} />
      <Resource {...reminderTemplates} />
      <Resource {...audit} />
      <CustomRoutes>
        <Route path="/custom-fields/:entity" element={<CustomFields />} />
        <Route path="/si/contributions" element={<ContributionCalculator />} />
        <Route path="/si/back-payment" element={<BackPaymentCalculator />} />
        <Route path="/si/pension" element={<PensionSimulator />} />
        <Route path="/monthly-runs" element={<MonthlyRun />} />
        <Route path="/payment-imports" element={<PaymentImport />} />
        <Route path="/regions" element={<RegionPolicyPage />} />
        <Route path="/batch-upload" element={<BatchUpload />} />
        <Route path="/packs" element={<PackList />} />
        <Route path="/bureau-files" element={<BureauExports />} />
        <Route path="/channels" element={<ChannelSettings />} />
        <Route path="/inbox" element={<Inbox />} />
      </CustomRoutes>
    </Admin>
  );
};

export const App = () => {
  const { user, token } = useSession();
  return token && user?.role === "employee" ? <SelfServiceApp /> : <HrApp />;
};
