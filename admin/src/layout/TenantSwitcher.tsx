import { MenuItem, Select } from "@mui/material";
import { useNotify, useRefresh, useTranslate } from "react-admin";
import { loadEntities } from "../api/entities";
import { session } from "../api/session";
import { useSession } from "../api/useSession";

/** Shown only to users with several tenants (consultants); the choice feeds the X-Tenant header. */
export function TenantSwitcher() {
  const { user, tenant } = useSession();
  const refresh = useRefresh();
  const notify = useNotify();
  const translate = useTranslate();
  if (!user || user.tenants.length < 2) return null;
  const change = async (slug: string) => {
    session.set({ tenant: slug });
    await loadEntities().catch(() => undefined);
    refresh();
    const name = user.tenants.find((t) => t.slug === slug)?.name ?? slug;
    notify(translate("ordo.tenant.switched", { name }), { type: "info" });
  };
  return (
    <Select
      size="small"
      value={tenant ?? ""}
      onChange={(e) => change(String(e.target.value))}
      aria-label={translate("ordo.tenant.label")}
      data-testid="tenant-switcher"
      sx={{
        color: "inherit",
        mr: 1,
        minWidth: 140,
        ".MuiOutlinedInput-notchedOutline": { borderColor: "rgba(255,255,255,.5)" },
        ".MuiSvgIcon-root": { color: "inherit" },
      }}
    >
      {user.tenants.map((t) => (
        <MenuItem key={t.slug} value={t.slug}>
          {t.name}
        </MenuItem>
      ))}
    </Select>
  );
}
