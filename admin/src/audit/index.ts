import ManageSearchIcon from "@mui/icons-material/ManageSearch";
import type { ResourceProps } from "react-admin";
import { AuditList } from "./AuditList";
import { AuditShow } from "./AuditShow";

/** The audit log: read-only (no create, edit or delete exists on the server either). */
export const audit: ResourceProps = { name: "audit", list: AuditList, show: AuditShow, icon: ManageSearchIcon };
