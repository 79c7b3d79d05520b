import { EntityShow } from "../entities/EntityShow";
import { LifecycleActions } from "./LifecycleActions";

export const EmployeeShow = () => (
  <EntityShow>
    <LifecycleActions />
  </EntityShow>
);
