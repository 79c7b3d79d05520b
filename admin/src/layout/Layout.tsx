import type { ReactNode } from "react";
import { Layout as RaLayout } from "react-admin";
import { AppBar } from "./AppBar";
import { Menu, SelfServiceMenu } from "./Menu";

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={AppBar} menu={Menu}>
    {children}
  </RaLayout>
);

/** Employees get no HR menus: only their own summary. */
export const SelfServiceLayout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={AppBar} menu={SelfServiceMenu}>
    {children}
  </RaLayout>
);
