import { AppBar as RaAppBar, LocalesMenuButton, TitlePortal } from "react-admin";
import { TenantSwitcher } from "./TenantSwitcher";

export const AppBar = () => (
  <RaAppBar
    toolbar={
      <>
        <TenantSwitcher />
        <LocalesMenuButton />
      </>
    }
  >
    <TitlePortal />
  </RaAppBar>
);
